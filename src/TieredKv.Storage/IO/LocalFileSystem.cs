using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace TieredKv.Storage.IO;

/// <summary>The real file system, using positional I/O on raw handles.</summary>
public sealed partial class LocalFileSystem : IFileSystem
{
    public IWritableFile CreateWritable(string path) => new LocalWritableFile(path);

    public IRandomAccessFile OpenRandomAccess(string path) => new LocalRandomAccessFile(path);

    public IRandomAccessFile OpenImmutable(string path) =>
        new FileInfo(path).Length == 0 ? new LocalRandomAccessFile(path) : new MappedFile(path);

    public bool FileExists(string path) => File.Exists(path);

    public long GetFileLength(string path) => new FileInfo(path).Length;

    public void DeleteFile(string path) => File.Delete(path);

    public void RenameFile(string from, string to) => File.Move(from, to, overwrite: true);

    public void TruncateFile(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }

    public IReadOnlyList<string> ListFiles(string directory) =>
        Directory.EnumerateFiles(directory).Select(p => System.IO.Path.GetFileName(p)).ToList();

    public void CreateDirectory(string path) => Directory.CreateDirectory(path);

    public void SyncDirectory(string path)
    {
        // .NET cannot open a directory as a file, so fsync it through libc. Windows has no equivalent need.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        int fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    public IDisposable LockFile(string path)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot lock {path}: is another process using this database? ({e.Message})", e);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}

/// <summary>An append-only file with a small write buffer; <see cref="Sync"/> may run concurrently with appends.</summary>
internal sealed class LocalWritableFile : IWritableFile
{
    private const int BufferSize = 64 * 1024;
    private readonly SafeFileHandle _handle;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly Lock _lock = new();
    private int _buffered;
    private long _flushedLength;

    public LocalWritableFile(string path)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read);
    }

    public string Path { get; }

    public long Length
    {
        get { lock (_lock) return _flushedLength + _buffered; }
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (data.Length > BufferSize - _buffered)
            {
                FlushLocked();
                if (data.Length >= BufferSize)
                {
                    RandomAccess.Write(_handle, data, _flushedLength);
                    _flushedLength += data.Length;
                    return;
                }
            }
            data.CopyTo(_buffer.AsSpan(_buffered));
            _buffered += data.Length;
        }
    }

    public void Flush()
    {
        lock (_lock) FlushLocked();
    }

    public void Sync()
    {
        lock (_lock) FlushLocked();
        // fsync outside the lock so appends are not held up by the disk.
        RandomAccess.FlushToDisk(_handle);
    }

    private void FlushLocked()
    {
        if (_buffered == 0) return;
        RandomAccess.Write(_handle, _buffer.AsSpan(0, _buffered), _flushedLength);
        _flushedLength += _buffered;
        _buffered = 0;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_handle.IsClosed) return;
            try { FlushLocked(); }
            finally { _handle.Dispose(); }
        }
    }
}

internal sealed class LocalRandomAccessFile : IRandomAccessFile
{
    private readonly SafeFileHandle _handle;

    public LocalRandomAccessFile(string path)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Length = RandomAccess.GetLength(_handle);
    }

    public string Path { get; }
    public long Length { get; }

    public int Read(long offset, Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = RandomAccess.Read(_handle, destination[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    public void Dispose() => _handle.Dispose();
}
