using System.IO.MemoryMappedFiles;

namespace TieredKv.Storage.IO;

/// <summary>
/// A read-only memory mapping of an immutable file: reads copy from mapped pages without a system
/// call. The caller must not dispose it while reads are in flight (the table cache's leases ensure
/// that), and the file must not shrink while mapped.
/// </summary>
internal sealed unsafe class MappedFile : IRandomAccessFile
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private int _disposed;

    public MappedFile(string path)
    {
        Path = path;
        Length = new FileInfo(path).Length;
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            _view = _map.CreateViewAccessor(0, Length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _base = pointer + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _map.Dispose();
            throw;
        }
    }

    public string Path { get; }
    public long Length { get; }

    public int Read(long offset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (offset < 0 || offset >= Length) return 0;
        int count = (int)Math.Min(destination.Length, Length - offset);
        new ReadOnlySpan<byte>(_base + offset, count).CopyTo(destination);
        return count;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
