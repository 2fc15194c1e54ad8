namespace TieredKv.Server.Monitoring;

/// <summary>
/// A rate as Redis's instantaneous_* fields report it: sampled every 100 ms from a running total, the
/// per-second rate averaged over the last 16 samples.
/// </summary>
internal sealed class InstantaneousMetric
{
    private const int SampleCount = 16;

    private readonly double[] _samples = new double[SampleCount];
    private int _next;
    private long _lastTotal;
    private long _lastMs;

    /// <summary>Called by the sampler only (one thread).</summary>
    public void Sample(long total, long nowMs)
    {
        if (_lastMs != 0 && nowMs > _lastMs)
        {
            _samples[_next] = (total - _lastTotal) * 1000.0 / (nowMs - _lastMs);
            _next = (_next + 1) % SampleCount;
        }
        _lastTotal = total;
        _lastMs = nowMs;
    }

    /// <summary>Per second, averaged over the samples.</summary>
    public double PerSecond
    {
        get
        {
            double sum = 0;
            for (int i = 0; i < SampleCount; i++) sum += Volatile.Read(ref _samples[i]);
            return sum / SampleCount;
        }
    }

    /// <summary>CONFIG RESETSTAT: the average starts again from zero (the running total is kept as the next baseline).</summary>
    public void Reset() => Array.Clear(_samples);
}
