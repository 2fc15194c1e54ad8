using TieredKv.Storage.IO;

namespace TieredKv.Fuzz;

/// <summary>The one-file file system WAL replay needs: open the segment, and truncate it when its tail is torn.</summary>
internal sealed class MemoryFileSystem(MemoryFile file) : IFileSystem
{
    public IRandomAccessFile OpenRandomAccess(string path) => Find(path);
    public bool FileExists(string path) => path == file.Path;
    public long GetFileLength(string path) => Find(path).Length;
    public void TruncateFile(string path, long length) => Find(path).Truncate(length);
    public void SyncDirectory(string path) { }

    public IWritableFile CreateWritable(string path) => throw new NotSupportedException("the fuzz file system is read-only");
    public void DeleteFile(string path) => throw new NotSupportedException("the fuzz file system is read-only");
    public void RenameFile(string from, string to) => throw new NotSupportedException("the fuzz file system is read-only");
    public IReadOnlyList<string> ListFiles(string directory) => [file.Path];
    public void CreateDirectory(string path) { }
    public IDisposable LockFile(string path) => file;

    private MemoryFile Find(string path) => path == file.Path ? file : throw new FileNotFoundException("no such file in the fuzz file system", path);
}
