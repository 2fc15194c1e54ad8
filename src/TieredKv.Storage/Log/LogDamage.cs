namespace TieredKv.Storage.Log;

/// <summary>A damaged byte range of a log file: <paramref name="Length"/> bytes from <paramref name="Offset"/>.</summary>
public readonly record struct LogDamage(long Offset, long Length, string Reason)
{
    /// <summary>The first byte after the range.</summary>
    public long End => Offset + Length;

    public override string ToString() => $"[{Offset}, {End}) ({Length} bytes): {Reason}";
}
