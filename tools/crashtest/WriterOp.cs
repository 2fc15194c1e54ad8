namespace TieredKv.CrashTest;

/// <summary>
/// One command a writer sent, the reply the model expects, and when its reply arrived
/// (<see cref="AckedAt"/> stays null for a command whose reply never came: it may or may not have applied).
/// </summary>
internal sealed class WriterOp(string key, string[] args, string expectedReply)
{
    public string Key { get; } = key;
    public string[] Args { get; } = args;
    public string ExpectedReply { get; } = expectedReply;
    public long? AckedAt { get; set; }

    public override string ToString() => string.Join(' ', Args.Select(a => a.Length > 24 ? a[..24] + "…" : a));
}
