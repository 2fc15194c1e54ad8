namespace TieredKv.Server.Monitoring;

/// <summary>
/// The latency monitor: per event (Redis's "command" and "fast-command", and the engine's own), samples at or
/// above latency-monitor-threshold milliseconds. Events appear with their first sample and go with LATENCY RESET.
/// </summary>
internal sealed class LatencyMonitor
{
    /// <summary>A command not flagged fast that took at least the threshold.</summary>
    public const string CommandEvent = "command";

    /// <summary>A command flagged fast (O(1) or O(log N)) that took at least the threshold.</summary>
    public const string FastCommandEvent = "fast-command";

    private readonly object _lock = new();
    private readonly Dictionary<string, LatencySeries> _events = new(StringComparer.Ordinal);

    /// <summary>Samples <paramref name="latencyMs"/> when monitoring is on (<paramref name="thresholdMs"/> above 0) and it reaches the threshold.</summary>
    public void AddIfNeeded(string eventName, long latencyMs, long thresholdMs)
    {
        if (thresholdMs <= 0 || latencyMs < thresholdMs) return;
        Add(eventName, latencyMs);
    }

    public void Add(string eventName, long latencyMs)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (_lock)
        {
            if (!_events.TryGetValue(eventName, out var series)) _events[eventName] = series = new LatencySeries(eventName);
            series.Add(now, latencyMs);
        }
    }

    public bool HasEvents
    {
        get { lock (_lock) return _events.Count > 0; }
    }

    /// <summary>Every event: name, newest sample and all-time maximum.</summary>
    public List<(string Name, long UnixSeconds, long LatencyMs, long MaxMs)> Latest()
    {
        lock (_lock) return [.. _events.Values.Select(s => (s.Name, s.Latest.UnixSeconds, s.Latest.LatencyMs, s.Max))];
    }

    /// <summary>The event's samples oldest first, or null when it has none.</summary>
    public List<(long UnixSeconds, long LatencyMs)>? History(string eventName)
    {
        lock (_lock) return _events.TryGetValue(eventName, out var series) ? series.Samples() : null;
    }

    /// <summary>The event's all-time maximum and samples, or null when it has none.</summary>
    public (long MaxMs, List<(long UnixSeconds, long LatencyMs)> Samples)? Series(string eventName)
    {
        lock (_lock) return _events.TryGetValue(eventName, out var series) ? (series.Max, series.Samples()) : null;
    }

    /// <summary>Every event's name, all-time maximum and samples.</summary>
    public List<(string Name, long MaxMs, List<(long UnixSeconds, long LatencyMs)> Samples)> All()
    {
        lock (_lock) return [.. _events.Values.Select(s => (s.Name, s.Max, s.Samples()))];
    }

    /// <summary>Forgets one event; 1 if it had samples, else 0.</summary>
    public int Reset(string eventName)
    {
        lock (_lock) return _events.Remove(eventName) ? 1 : 0;
    }

    /// <summary>Forgets every event; how many there were.</summary>
    public int ResetAll()
    {
        lock (_lock)
        {
            int count = _events.Count;
            _events.Clear();
            return count;
        }
    }
}
