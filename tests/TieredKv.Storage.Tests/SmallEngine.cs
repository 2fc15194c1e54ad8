using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests;

/// <summary>Engine sizes so small that a few hundred writes switch WAL segments, flush and compact many times.</summary>
internal static class SmallEngine
{
    public static DbOptions Options(IFileSystem fs, WalSyncPolicy sync = WalSyncPolicy.Always, bool background = false) => new()
    {
        FileSystem = fs,
        WriteBufferSize = 8 * 1024,
        TargetFileSize = 4 * 1024,
        MaxBytesForLevelBase = 16 * 1024,
        L0CompactionTrigger = 2,
        BlockSize = 512,
        BackgroundWork = background,
        WalSync = sync,
    };
}
