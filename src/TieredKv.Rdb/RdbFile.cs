using TieredKv.Storage.IO;

namespace TieredKv.Rdb;

/// <summary>Whole RDB files on disk: written beside their final name and renamed into place, so a reader never sees half a file.</summary>
public static class RdbFile
{
    private const int BufferSize = 1 << 20;
    private const string TempPrefix = "temp-";

    /// <summary>
    /// Deletes the temp files that saves into <paramref name="directory"/> left behind when their process died
    /// mid-write (a kill -9 during BGSAVE); call it before any save starts. Returns the names removed.
    /// </summary>
    public static IReadOnlyList<string> RemoveLeftoverTempFiles(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (string path in Directory.EnumerateFiles(directory, TempPrefix + "*-*.rdb"))
        {
            File.Delete(path);
            removed.Add(Path.GetFileName(path));
        }
        return removed;
    }

    /// <summary>
    /// Exports <paramref name="snapshot"/> to <paramref name="path"/>: a temp file in the same directory,
    /// fsynced, renamed over the old file, then the directory fsynced so the rename survives a crash.
    /// On failure the temp file is removed and the old file is untouched.
    /// </summary>
    public static RdbExportResult Save(KeyspaceSnapshot snapshot, string path, IProgress<long>? bytesWritten = null, RdbWriterOptions? options = null, CancellationToken cancellation = default)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string temp = Path.Combine(dir, $"{TempPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}.rdb");
        try
        {
            RdbExportResult result;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                result = RdbExporter.Export(snapshot, file, bytesWritten, options, cancellation);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            new LocalFileSystem().SyncDirectory(dir);
            return result;
        }
        catch
        {
            try { File.Delete(temp); }
            catch (IOException) { }
            throw;
        }
    }
}
