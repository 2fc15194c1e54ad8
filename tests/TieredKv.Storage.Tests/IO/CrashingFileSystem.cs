using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests.IO;

/// <summary>
/// Wraps the real file system and "crashes the process" at the N-th mutating operation: that
/// operation and every later one throw, as if the process died there. Bytes already handed to the
/// OS stay (a process crash, not a power loss).
/// </summary>
public sealed class CrashingFileSystem(int crashAtOperation) : IFileSystem
{
    private readonly LocalFileSystem _inner = new();
    private int _operations;

    public bool Crashed => Volatile.Read(ref _operations) >= crashAtOperation;
    public int Operations => Volatile.Read(ref _operations);

    internal void Step()
    {
        if (Interlocked.Increment(ref _operations) >= crashAtOperation) throw new IOException("simulated crash");
    }

    public IWritableFile CreateWritable(string path)
    {
        Step();
        return new File(this, _inner.CreateWritable(path));
    }

    public IRandomAccessFile OpenRandomAccess(string path) => _inner.OpenRandomAccess(path);
    public bool FileExists(string path) => _inner.FileExists(path);
    public long GetFileLength(string path) => _inner.GetFileLength(path);
    public IReadOnlyList<string> ListFiles(string directory) => _inner.ListFiles(directory);
    public void CreateDirectory(string path) => _inner.CreateDirectory(path);
    public IDisposable LockFile(string path) => _inner.LockFile(path);

    public void DeleteFile(string path) { Step(); _inner.DeleteFile(path); }
    public void RenameFile(string from, string to) { Step(); _inner.RenameFile(from, to); }
    public void TruncateFile(string path, long length) { Step(); _inner.TruncateFile(path, length); }
    public void SyncDirectory(string path) { Step(); _inner.SyncDirectory(path); }

    private sealed class File(CrashingFileSystem fs, IWritableFile inner) : IWritableFile
    {
        public string Path => inner.Path;
        public long Length => inner.Length;

        // Appends go straight to the OS so that a crash keeps exactly what was appended before it.
        public void Append(ReadOnlySpan<byte> data)
        {
            fs.Step();
            inner.Append(data);
            inner.Flush();
        }

        public void Flush() => fs.Step();
        public void Sync() => fs.Step();

        // A crashed process never closes its files cleanly; the OS keeps what was written.
        public void Dispose() => inner.Dispose();
    }
}
