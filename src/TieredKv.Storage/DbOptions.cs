using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TieredKv.Storage.Compaction;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Table;

namespace TieredKv.Storage;

/// <summary>When the WAL is fsynced, with the meaning of Redis's <c>appendfsync</c>.</summary>
public enum WalSyncPolicy
{
    /// <summary>fsync before a write is acknowledged (shared by every writer in the group).</summary>
    Always,

    /// <summary>Written to the OS before the acknowledgement, fsynced once a second: at most about a second is lost.</summary>
    EverySec,

    /// <summary>Written to the OS, fsynced only when a segment is closed: the OS decides.</summary>
    No,
}

/// <summary>How a database is opened and tuned. Defaults suit a server with a few GiB of data per core.</summary>
public sealed record DbOptions
{
    public bool CreateIfMissing { get; init; } = true;
    public bool ErrorIfExists { get; init; }

    public WalSyncPolicy WalSync { get; init; } = WalSyncPolicy.EverySec;
    public WalRecoveryMode WalRecovery { get; init; } = WalRecoveryMode.Strict;

    /// <summary>The period of the <see cref="WalSyncPolicy.EverySec"/> fsync; shortened only by tests.</summary>
    internal TimeSpan WalSyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Memtable size at which it is frozen and flushed to an L0 table.</summary>
    public long WriteBufferSize { get; init; } = 16L << 20;

    /// <summary>How many frozen memtables may wait for their flush before writes stall.</summary>
    public int MaxImmutableMemTables { get; init; } = 2;

    public int BlockSize { get; init; } = 4 * 1024;
    public int BlockRestartInterval { get; init; } = 16;
    public CompressionType Compression { get; init; } = CompressionType.Lz4;
    public int BloomBitsPerKey { get; init; } = 10;

    /// <summary>The block cache; share one instance between databases to give them one budget.</summary>
    public BlockCache? BlockCache { get; init; }

    /// <summary>Byte budget of the block cache created when <see cref="BlockCache"/> is not given.</summary>
    public long BlockCacheBytes { get; init; } = 64L << 20;

    /// <summary>Most table files kept open at once; others are opened on demand.</summary>
    public int MaxOpenFiles { get; init; } = 500;

    public int NumLevels { get; init; } = 7;
    public int L0CompactionTrigger { get; init; } = 4;
    public int L0SlowdownTrigger { get; init; } = 8;
    public int L0StopTrigger { get; init; } = 12;

    /// <summary>Target size of L1; each deeper level is <see cref="LevelSizeMultiplier"/> times larger.</summary>
    public long MaxBytesForLevelBase { get; init; } = 64L << 20;
    public int LevelSizeMultiplier { get; init; } = 10;

    /// <summary>Size at which a compaction starts a new output table.</summary>
    public long TargetFileSize { get; init; } = 8L << 20;

    /// <summary>Hook run on entries during compaction; may drop them (expired or stale data).</summary>
    public ICompactionFilter? CompactionFilter { get; init; }

    /// <summary>Run flushes and compactions on a background thread. Tests may turn this off and call them directly.</summary>
    public bool BackgroundWork { get; init; } = true;

    public IFileSystem FileSystem { get; init; } = new LocalFileSystem();
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
