namespace TieredKv.CrashTest;

/// <summary>The outcome of checking one writer after a restart; <see cref="Violation"/> is null when the keys were allowed.</summary>
internal sealed record WriterCheck(int Acknowledged, int Sent, int LostAcknowledged, string? Violation)
{
    /// <summary>Commands sent without a reply that turned out applied.</summary>
    public int InFlightApplied { get; init; }

    /// <summary>How long before the kill the first lost acknowledged command was acknowledged (everysec).</summary>
    public double LostMillis { get; init; }

    /// <summary>
    /// The recovered keys equal the model after some prefix of the writer's commands, which the writer adopted
    /// (even with a violation: then acknowledged commands were lost, counted in <see cref="LostAcknowledged"/>).
    /// False: the state is no prefix at all (a hole, a doubled or corrupted write) and the model is unusable.
    /// </summary>
    public bool IsPrefix { get; init; } = true;
}
