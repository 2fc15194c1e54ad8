using TieredKv.Storage;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// The storage engine's latency events beside Redis's own: WAL fsyncs, memtable flushes, compactions and
/// write stalls. The engine keeps counts and total time of each; sampled every 100 ms, an interval in which
/// some happened yields one sample of their mean duration (a stall: the time writers were held in it).
/// </summary>
internal sealed class EngineLatencyEvents
{
    public const string WalFsync = "wal-fsync";
    public const string MemtableFlush = "memtable-flush";
    public const string Compaction = "compaction";
    public const string WriteStall = "write-stall";

    private DbStatistics? _last;

    /// <summary>Called by the sampler only (one thread).</summary>
    public void Sample(DbStatistics now, LatencyMonitor monitor, long thresholdMs)
    {
        var last = _last;
        _last = now;
        if (last == null || thresholdMs <= 0) return;
        AddMean(monitor, WalFsync, now.WalSyncs - last.WalSyncs, now.WalSyncMicros - last.WalSyncMicros, thresholdMs);
        AddMean(monitor, MemtableFlush, now.FlushCount - last.FlushCount, now.FlushMicros - last.FlushMicros, thresholdMs);
        AddMean(monitor, Compaction, now.CompactionCount - last.CompactionCount, now.CompactionMicros - last.CompactionMicros, thresholdMs);
        long stalls = now.StallSlowdowns + now.StallStops - last.StallSlowdowns - last.StallStops;
        if (stalls > 0) monitor.AddIfNeeded(WriteStall, (now.StallMicros - last.StallMicros) / 1000, thresholdMs);
    }

    private static void AddMean(LatencyMonitor monitor, string name, long count, long micros, long thresholdMs)
    {
        if (count > 0) monitor.AddIfNeeded(name, micros / count / 1000, thresholdMs);
    }
}
