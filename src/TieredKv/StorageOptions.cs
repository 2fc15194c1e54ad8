using TieredKv.Storage.IO;

namespace TieredKv;

/// <summary>
/// The sizes of the storage engine under a store: memtable, block cache, levels and table files, and what
/// opening does with damaged files. The defaults suit a server with a few GiB of data per core; tests shrink
/// the sizes so that flushes and compactions happen often.
/// </summary>
public sealed record StorageOptions
{
    /// <summary>Bytes of recent writes held in memory (the memtable) before they are flushed to a table file.</summary>
    public long WriteBufferSize { get; init; } = 16L << 20;

    /// <summary>Byte budget of the cache of table blocks read from disk.</summary>
    public long BlockCacheBytes { get; init; } = 64L << 20;

    /// <summary>Target size in bytes of level 1; each deeper level is ten times larger.</summary>
    public long MaxBytesForLevelBase { get; init; } = 64L << 20;

    /// <summary>Size in bytes at which a compaction starts a new table file.</summary>
    public long TargetFileSize { get; init; } = 8L << 20;

    /// <summary>What opening does with a damaged log record or a damaged or missing table file.</summary>
    public RecoveryMode Recovery { get; init; } = RecoveryMode.Strict;

    /// <summary>The engine's file layer: the server's fault and power-cut tests inject one. Null is the local disk.</summary>
    internal IFileSystem? FileSystem { get; init; }
}
