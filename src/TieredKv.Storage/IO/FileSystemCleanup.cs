using Microsoft.Extensions.Logging;

namespace TieredKv.Storage.IO;

/// <summary>Best-effort removal of files nothing needs: a failure is logged, and the next open's cleanup retries.</summary>
internal static class FileSystemCleanup
{
    public static void TryDelete(this IFileSystem fs, string path, ILogger logger)
    {
        try { fs.DeleteFile(path); }
        catch (IOException e) { logger.LogWarning(e, "could not delete {File}", path); }
    }
}
