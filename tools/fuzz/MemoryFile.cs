using TieredKv.Storage.IO;

namespace TieredKv.Fuzz;

/// <summary>A file held in memory: readable at any offset, appendable (for the seed writers), truncatable (for WAL repair).</summary>
internal sealed class MemoryFile : IRandomAccessFile, IWritableFile
{
    private readonly MemoryStream _data = new();

    public MemoryFile(string path, ReadOnlySpan<byte> contents = default)
    {
        Path = path;
        _data.Write(contents);
    }

    public string Path { get; }

    public long Length => _data.Length;

    public int Read(long offset, Span<byte> destination)
    {
        if (offset >= _data.Length) return 0;
        int n = (int)Math.Min(destination.Length, _data.Length - offset);
        _data.GetBuffer().AsSpan((int)offset, n).CopyTo(destination);
        return n;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _data.Seek(0, SeekOrigin.End);
        _data.Write(data);
    }

    public void Truncate(long length) => _data.SetLength(Math.Min(length, _data.Length));

    public byte[] ToArray() => _data.ToArray();

    public void Flush() { }

    public void Sync() { }

    public void Dispose() { }
}
