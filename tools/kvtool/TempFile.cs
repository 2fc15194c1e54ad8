namespace TieredKv.Tools;

/// <summary>
/// Writes a file beside its final name and renames it into place once complete and fsynced (then fsyncs the directory), so a dump
/// that fails half-way never leaves a partial file under the name the user asked for.
/// </summary>
public static class TempFile
{
    private const int BufferSize = 1 << 20;

    public static T Write<T>(string path, Func<Stream, T> write)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            T result;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
            {
                result = write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            // The new name is durable only once its directory is.
            new Storage.IO.LocalFileSystem().SyncDirectory(Path.GetDirectoryName(full)!);
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
