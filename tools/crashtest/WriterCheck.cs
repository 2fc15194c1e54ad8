namespace TieredKv.CrashTest;

/// <summary>The outcome of checking one writer after a restart; <see cref="Violation"/> is null when the keys were allowed.</summary>
internal sealed record WriterCheck(int Acknowledged, int Sent, int LostAcknowledged, string? Violation)
{
    /// <summary>Commands sent without a reply that turned out applied.</summary>
    public int InFlightApplied { get; init; }

    /// <summary>How long before the kill the first lost acknowledged command was acknowledged (everysec).</summary>
    public double LostMillis { get; init; }
}
