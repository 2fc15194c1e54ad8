using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests.IO;

/// <summary>The local file system, passed through: test file systems derive from it and override only what they watch or change.</summary>
internal abstract class DelegatingFileSystem : IFileSystem
{
    protected LocalFileSystem Inner { get; } = new();

    public virtual IWritableFile CreateWritable(string path) => Inner.CreateWritable(path);
    public virtual IRandomAccessFile OpenRandomAccess(string path) => Inner.OpenRandomAccess(path);
    public bool FileExists(string path) => Inner.FileExists(path);
    public long GetFileLength(string path) => Inner.GetFileLength(path);
    public void DeleteFile(string path) => Inner.DeleteFile(path);
    public void RenameFile(string from, string to) => Inner.RenameFile(from, to);
    public void TruncateFile(string path, long length) => Inner.TruncateFile(path, length);
    public IReadOnlyList<string> ListFiles(string directory) => Inner.ListFiles(directory);
    public void CreateDirectory(string path) => Inner.CreateDirectory(path);
    public void SyncDirectory(string path) => Inner.SyncDirectory(path);
    public IDisposable LockFile(string path) => Inner.LockFile(path);
}
