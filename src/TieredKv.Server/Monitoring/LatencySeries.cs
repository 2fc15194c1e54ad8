namespace TieredKv.Server.Monitoring;

/// <summary>
/// One latency event's samples as Redis keeps them: a ring of the last 160 (one per second at most: a second
/// sample within the same second only raises that second's value) and the all-time maximum. Not thread-safe: the monitor locks.
/// </summary>
internal sealed class LatencySeries(string name)
{
    public const int Capacity = 160;

    private readonly long[] _times = new long[Capacity];
    private readonly long[] _latencies = new long[Capacity];
    private int _next;

    public string Name { get; } = name;

    /// <summary>The highest latency ever sampled for the event (ms).</summary>
    public long Max { get; private set; }

    public void Add(long unixSeconds, long latencyMs)
    {
        if (latencyMs > Max) Max = latencyMs;
        int previous = (_next + Capacity - 1) % Capacity;
        if (_times[previous] == unixSeconds)
        {
            if (latencyMs > _latencies[previous]) _latencies[previous] = latencyMs;
            return;
        }
        _times[_next] = unixSeconds;
        _latencies[_next] = latencyMs;
        _next = (_next + 1) % Capacity;
    }

    /// <summary>The newest sample (time, latency).</summary>
    public (long UnixSeconds, long LatencyMs) Latest
    {
        get
        {
            int last = (_next + Capacity - 1) % Capacity;
            return (_times[last], _latencies[last]);
        }
    }

    /// <summary>The samples held, oldest first.</summary>
    public List<(long UnixSeconds, long LatencyMs)> Samples()
    {
        var samples = new List<(long, long)>();
        for (int j = 0; j < Capacity; j++)
        {
            int i = (_next + j) % Capacity;
            if (_times[i] != 0) samples.Add((_times[i], _latencies[i]));
        }
        return samples;
    }
}
