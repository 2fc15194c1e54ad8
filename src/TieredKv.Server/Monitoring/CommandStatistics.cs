namespace TieredKv.Server.Monitoring;

/// <summary>
/// One command's INFO commandstats and latencystats: calls, microseconds, calls refused before running
/// (rejected) and calls that replied with an error (failed), and its latency histogram, made at its first
/// call as Redis makes it (none until then, and none again after CONFIG RESETSTAT).
/// </summary>
internal sealed class CommandStatistics
{
    private long _calls;
    private long _micros;
    private long _rejected;
    private long _failed;
    private LatencyHistogram? _histogram;

    public long Calls => Interlocked.Read(ref _calls);
    public long Micros => Interlocked.Read(ref _micros);
    public long RejectedCalls => Interlocked.Read(ref _rejected);
    public long FailedCalls => Interlocked.Read(ref _failed);

    /// <summary>Null until the command is first called.</summary>
    public LatencyHistogram? Histogram => Volatile.Read(ref _histogram);

    /// <summary>Whether INFO commandstats lists the command (as Redis: once called, rejected or failed).</summary>
    public bool HasActivity => Calls != 0 || RejectedCalls != 0 || FailedCalls != 0;

    public void RecordCall(long micros, bool failed, bool trackLatency)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _micros, micros);
        if (failed) Interlocked.Increment(ref _failed);
        if (!trackLatency) return;
        var histogram = Volatile.Read(ref _histogram);
        if (histogram == null)
        {
            Interlocked.CompareExchange(ref _histogram, new LatencyHistogram(), null);
            histogram = Volatile.Read(ref _histogram)!;
        }
        histogram.RecordMicros(micros);
    }

    public void RecordRejected() => Interlocked.Increment(ref _rejected);

    public void Reset()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _micros, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _failed, 0);
        Volatile.Write(ref _histogram, null);
    }
}
