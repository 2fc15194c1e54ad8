namespace TieredKv.Storage.Util;

/// <summary>A growable byte buffer for building records, blocks and batches without intermediate copies.</summary>
public sealed class ByteBuffer
{
    private byte[] _data;
    private int _length;

    public ByteBuffer(int capacity = 256) => _data = new byte[Math.Max(16, capacity)];

    public int Length => _length;
    public ReadOnlySpan<byte> Span => _data.AsSpan(0, _length);
    public ReadOnlyMemory<byte> Memory => _data.AsMemory(0, _length);

    /// <summary>The underlying array; valid up to <see cref="Length"/> until the next append.</summary>
    public byte[] RawArray => _data;

    public void Clear() => _length = 0;

    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _length);
        _length = length;
    }

    /// <summary>Reserves <paramref name="count"/> bytes at the end and returns them for the caller to fill.</summary>
    public Span<byte> Reserve(int count)
    {
        EnsureCapacity(_length + count);
        var span = _data.AsSpan(_length, count);
        _length += count;
        return span;
    }

    public void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    public void AppendByte(byte b) => Reserve(1)[0] = b;

    public void AppendVarint32(uint value) => AppendVarint64(value);

    public void AppendVarint64(ulong value)
    {
        EnsureCapacity(_length + Coding.MaxVarint64Length);
        _length += Coding.WriteVarint64(_data.AsSpan(_length), value);
    }

    public void AppendFixed32(uint value) => Coding.WriteFixed32(Reserve(4), value);

    public void AppendFixed64(ulong value) => Coding.WriteFixed64(Reserve(8), value);

    /// <summary>Appends a varint length followed by the bytes.</summary>
    public void AppendLengthPrefixed(ReadOnlySpan<byte> bytes)
    {
        AppendVarint32((uint)bytes.Length);
        Append(bytes);
    }

    public byte[] ToArray() => Span.ToArray();

    private void EnsureCapacity(int needed)
    {
        if (needed <= _data.Length) return;
        int size = _data.Length;
        while (size < needed) size = checked(size * 2);
        Array.Resize(ref _data, size);
    }
}
