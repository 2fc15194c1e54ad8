namespace TieredKv.Storage;

/// <summary>Counters the engine keeps while it runs (not persisted). Thread-safe.</summary>
internal sealed class DbCounters
{
    public long UserBytesWritten;
    public long WalBytesWritten;
    public long WalSyncs;
    public long WalSyncWaits;
    public long WriteGroups;
    public long WriteBatches;
    public long FlushCount;
    public long FlushBytesWritten;
    public long CompactionCount;
    public long TrivialMoves;
    public long FilesDroppedByRangeTombstones;
    public long CompactionEntriesDropped;
    public long StallSlowdowns;
    public long StallStops;
    public long StallMicros;
    /// <summary>Stopwatch ticks, summed unrounded: a fast fsync is well under a microsecond on some file systems.</summary>
    public long WalSyncTicks;
    public long FlushTicks;
    public long CompactionTicks;
    public long BackgroundErrors;
    public long[] LevelBytesWritten;
    public long[] LevelBytesRead;

    public static long Micros(long stopwatchTicks) => (long)(stopwatchTicks * (1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

    public DbCounters(int numLevels)
    {
        LevelBytesWritten = new long[numLevels];
        LevelBytesRead = new long[numLevels];
    }
}

/// <summary>Per-level shape of the LSM tree.</summary>
public readonly record struct LevelStatistics(int Level, int Files, long Bytes, long TargetBytes, long BytesWritten, long BytesRead);

/// <summary>A snapshot of the engine's statistics (for INFO and benchmarks).</summary>
public sealed record DbStatistics
{
    public required IReadOnlyList<LevelStatistics> Levels { get; init; }
    public required ulong LastSequence { get; init; }
    public required long MemTableBytes { get; init; }
    public required int ImmutableMemTables { get; init; }
    public required int Snapshots { get; init; }
    public required int RangeTombstones { get; init; }
    public required long UserBytesWritten { get; init; }
    public required long WalBytesWritten { get; init; }
    public required long WalSyncs { get; init; }
    /// <summary>Commits that waited for a group fsync (Always): divided by <see cref="WalSyncs"/>, how many callers one fsync served.</summary>
    public required long WalSyncWaits { get; init; }
    public required long WriteGroups { get; init; }
    public required long WriteBatches { get; init; }
    public required long FlushCount { get; init; }
    public required long FlushBytesWritten { get; init; }
    public required long CompactionCount { get; init; }
    public required long TrivialMoves { get; init; }
    public required long FilesDroppedByRangeTombstones { get; init; }
    public required long CompactionEntriesDropped { get; init; }
    public required long StallSlowdowns { get; init; }
    public required long StallStops { get; init; }
    public required long StallMicros { get; init; }
    public required long BackgroundErrors { get; init; }
    /// <summary>Time spent in WAL fsyncs, memtable flushes and compactions (µs): with the counts, the server's latency monitor derives their durations.</summary>
    public long WalSyncMicros { get; init; }
    /// <inheritdoc cref="WalSyncMicros"/>
    public long FlushMicros { get; init; }
    /// <inheritdoc cref="WalSyncMicros"/>
    public long CompactionMicros { get; init; }
    /// <summary>The failure of the last flush or compaction while it is being retried; null once background work succeeds.</summary>
    public string? LastBackgroundError { get; init; }

    /// <summary>The WAL failure that makes the database refuse writes until <see cref="Db.Resume"/>; null while writes are accepted.</summary>
    public string? WriteError { get; init; }
    public required long BlockCacheHits { get; init; }
    public required long BlockCacheMisses { get; init; }
    public required long BlockCacheUsage { get; init; }
    public required long BlockCacheCapacity { get; init; }
    public required long BloomChecks { get; init; }
    public required long BloomUseful { get; init; }
    public required long TableBlockReads { get; init; }

    /// <summary>Bytes written to tables (flushes and compactions) per byte of user data written.</summary>
    public double WriteAmplification => UserBytesWritten == 0 ? 0 : (double)Levels.Sum(l => l.BytesWritten) / UserBytesWritten;

    /// <summary>As <see cref="WriteAmplification"/>, counting the WAL too: every byte the engine wrote per user byte.</summary>
    public double TotalWriteAmplification => UserBytesWritten == 0 ? 0 : (double)(Levels.Sum(l => l.BytesWritten) + WalBytesWritten) / UserBytesWritten;

    public double BlockCacheHitRate => BlockCacheHits + BlockCacheMisses == 0 ? 0 : (double)BlockCacheHits / (BlockCacheHits + BlockCacheMisses);
}
