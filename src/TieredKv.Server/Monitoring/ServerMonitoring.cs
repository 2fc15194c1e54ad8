using TieredKv.Server.Config;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// What the server observes about itself for SLOWLOG, LATENCY, MONITOR and INFO: the slow log, the latency
/// monitor, error counts, the monitor feed, network totals and rates, and recent buffer peaks. A timer samples
/// the rates and the engine's events every 100 ms, as Redis's cron does.
/// </summary>
internal sealed class ServerMonitoring : IDisposable
{
    private const int SampleIntervalMs = 100;

    private readonly ServerOptions _options;
    private readonly TieredKvStore _store;
    private long _commandsProcessed;
    private readonly Timer _timer;
    private readonly EngineLatencyEvents _engineEvents = new();
    private long _netInputBytes;
    private long _netOutputBytes;
    private long _readsProcessed;
    private long _writesProcessed;
    private long _usedMemoryPeak;
    private int _sampling;

    public ServerMonitoring(ServerOptions options, TieredKvStore store)
    {
        _options = options;
        _store = store;
        UsedMemoryStartup = GC.GetTotalMemory(false);
        _usedMemoryPeak = UsedMemoryStartup;
        _timer = new Timer(_ => Sample(), null, SampleIntervalMs, SampleIntervalMs);
    }

    public SlowLog SlowLog { get; } = new();
    public LatencyMonitor Latency { get; } = new();
    public ErrorStatistics Errors { get; } = new();
    public MonitorFeed Monitors { get; } = new();
    public RecentPeak RecentInputBuffer { get; } = new();
    public RecentPeak RecentOutputBuffer { get; } = new();
    public InstantaneousMetric OpsPerSecond { get; } = new();
    public InstantaneousMetric InputBytesPerSecond { get; } = new();
    public InstantaneousMetric OutputBytesPerSecond { get; } = new();

    /// <summary>INFO's master_replid: this server's replication id, random per start as Redis's (no replica ever uses it here).</summary>
    public string ReplicationId { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    /// <summary>The port the server listens on (INFO's tcp_port): the configured one, or the one given for port 0.</summary>
    public int ListeningPort { get; set; }

    /// <summary>used_memory when the server started: INFO's used_memory_startup.</summary>
    public long UsedMemoryStartup { get; }

    public long CommandsProcessed => Interlocked.Read(ref _commandsProcessed);
    public long NetInputBytes => Interlocked.Read(ref _netInputBytes);
    public long NetOutputBytes => Interlocked.Read(ref _netOutputBytes);
    public long ReadsProcessed => Interlocked.Read(ref _readsProcessed);
    public long WritesProcessed => Interlocked.Read(ref _writesProcessed);

    /// <summary>A command ran (total_commands_processed): refused or queued ones do not count, as in Redis.</summary>
    public void CountCommand() => Interlocked.Increment(ref _commandsProcessed);

    /// <summary>
    /// After each call: MONITOR sees it (<paramref name="feedMonitors"/>: not an admin command, nor a blocked command
    /// run again), and once it replied (not while <paramref name="blocked"/>) it counts for commandstats and
    /// latencystats, the latency monitor and, unless <paramref name="skipSlowLog"/>, the slow log.
    /// </summary>
    public void AfterCall(IMonitoredClient client, CommandArgs args, CommandStatistics statistics, bool fast, bool skipSlowLog,
        bool feedMonitors, long micros, bool failed, bool blocked)
    {
        if (feedMonitors && Monitors.Any) Monitors.Feed(client, args);
        if (blocked) return;
        CountCommand();
        statistics.RecordCall(micros, failed, trackLatency: true);
        Latency.AddIfNeeded(fast ? LatencyMonitor.FastCommandEvent : LatencyMonitor.CommandEvent, micros / 1000, _options.LatencyMonitorThreshold);
        long slowerThan = _options.SlowlogLogSlowerThan;
        if (!skipSlowLog && slowerThan >= 0 && micros >= slowerThan)
            SlowLog.Add(args, micros, client.Address, client.Name ?? "", _options.SlowlogMaxLen);
    }

    /// <summary>A read from a client's socket: its bytes, and the client's query buffer after it.</summary>
    public void CountRead(long bytes, long queryBuffer)
    {
        Interlocked.Increment(ref _readsProcessed);
        Interlocked.Add(ref _netInputBytes, bytes);
        RecentInputBuffer.Record(queryBuffer);
    }

    /// <summary>A flush of replies to a client's socket.</summary>
    public void CountWrite(long bytes)
    {
        Interlocked.Increment(ref _writesProcessed);
        Interlocked.Add(ref _netOutputBytes, bytes);
        RecentOutputBuffer.Record(bytes);
    }

    /// <summary>Updates and returns the peak of used memory (also sampled by the timer).</summary>
    public long UsedMemoryPeak(long usedNow)
    {
        long peak;
        while (usedNow > (peak = Interlocked.Read(ref _usedMemoryPeak)) && Interlocked.CompareExchange(ref _usedMemoryPeak, usedNow, peak) != peak) { }
        return Math.Max(peak, usedNow);
    }

    /// <summary>CONFIG RESETSTAT's part here (the slow log and latency events stay, as in Redis).</summary>
    public void ResetStats()
    {
        Errors.Reset();
        Interlocked.Exchange(ref _commandsProcessed, 0);
        Interlocked.Exchange(ref _netInputBytes, 0);
        Interlocked.Exchange(ref _netOutputBytes, 0);
        Interlocked.Exchange(ref _readsProcessed, 0);
        Interlocked.Exchange(ref _writesProcessed, 0);
        OpsPerSecond.Reset();
        InputBytesPerSecond.Reset();
        OutputBytesPerSecond.Reset();
    }

    private void Sample()
    {
        // A slow round (a busy engine lock) must not overlap the next: the samplers keep single-threaded state.
        if (Interlocked.Exchange(ref _sampling, 1) != 0) return;
        try
        {
            long now = Environment.TickCount64;
            OpsPerSecond.Sample(CommandsProcessed, now);
            InputBytesPerSecond.Sample(NetInputBytes, now);
            OutputBytesPerSecond.Sample(NetOutputBytes, now);
            UsedMemoryPeak(GC.GetTotalMemory(false));
            _engineEvents.Sample(_store.Engine.GetStatistics(), Latency, _options.LatencyMonitorThreshold);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The store closed while the timer fired (the server is stopping), or statistics failed to read:
            // observing the server must never take it down. The next round samples again.
        }
        finally
        {
            Volatile.Write(ref _sampling, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
