using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>
/// Builds a listpack as listpack.c's lpAppend/lpAppendInteger would: strings that read as int64
/// (<see cref="Listpack.TryParseInt64"/>) take the smallest integer encoding, other strings a 6, 12 or 32-bit
/// length, and every entry ends with its back-length. The size is known after every append, which is what
/// stream node splitting is decided on. Reused across listpacks through <see cref="Reset"/>.
/// </summary>
internal sealed class ListpackBuilder
{
    private byte[] _buffer = new byte[4608];
    private int _used = ListpackReader.HeaderSize;

    public int Count { get; private set; }

    /// <summary>Bytes of the finished listpack (header, entries, end marker), as lpBytes reports it.</summary>
    public long TotalBytes => _used + 1L;

    public void Reset()
    {
        _used = ListpackReader.HeaderSize;
        Count = 0;
    }

    public void Append(ReadOnlySpan<byte> value)
    {
        if (Listpack.TryParseInt64(value, out long integer))
        {
            AppendInteger(integer);
            return;
        }
        int header = value.Length < 64 ? 1 : value.Length < 4096 ? 2 : 5;
        Span<byte> h = Reserve(header + value.Length + ListpackReader.BackLengthSize(header + value.Length));
        if (value.Length < 64)
        {
            h[0] = (byte)(0x80 | value.Length);
        }
        else if (value.Length < 4096)
        {
            h[0] = (byte)(0xE0 | (value.Length >> 8));
            h[1] = (byte)value.Length;
        }
        else
        {
            h[0] = 0xF0;
            BinaryPrimitives.WriteUInt32LittleEndian(h[1..], (uint)value.Length);
        }
        value.CopyTo(h[header..]);
        Commit(h, header + value.Length);
    }

    public void AppendInteger(long value)
    {
        Span<byte> e = Reserve(10);
        int length;
        if (value is >= 0 and <= 127)
        {
            e[0] = (byte)value;
            length = 1;
        }
        else if (value is >= -4096 and <= 4095)
        {
            long v = value < 0 ? (1 << 13) + value : value;
            e[0] = (byte)(0xC0 | (v >> 8));
            e[1] = (byte)v;
            length = 2;
        }
        else if (value is >= short.MinValue and <= short.MaxValue)
        {
            e[0] = 0xF1;
            BinaryPrimitives.WriteInt16LittleEndian(e[1..], (short)value);
            length = 3;
        }
        else if (value is >= -8388608 and <= 8388607)
        {
            e[0] = 0xF2;
            e[1] = (byte)value;
            e[2] = (byte)(value >> 8);
            e[3] = (byte)(value >> 16);
            length = 4;
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            e[0] = 0xF3;
            BinaryPrimitives.WriteInt32LittleEndian(e[1..], (int)value);
            length = 5;
        }
        else
        {
            e[0] = 0xF4;
            BinaryPrimitives.WriteInt64LittleEndian(e[1..], value);
            length = 9;
        }
        Commit(e, length);
    }

    /// <summary>
    /// Overwrites the first entry, which must be a 7-bit integer, with another 7-bit integer: the size does not
    /// change, so nothing moves (how a stream node's entry count is settled once the node is full).
    /// </summary>
    public void ReplaceFirstSmallInteger(int value)
    {
        if (Count == 0 || _buffer[ListpackReader.HeaderSize] > 127) throw new InvalidOperationException("the first entry is not a 7-bit integer");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 127);
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        _buffer[ListpackReader.HeaderSize] = (byte)value;
    }

    /// <summary>The finished listpack; valid until the next append or reset.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (TotalBytes > uint.MaxValue) throw new InvalidOperationException("a listpack cannot exceed 4 GiB");
        Reserve(1)[0] = ListpackReader.End;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)(_used + 1));
        // Past 65534 entries the header says "unknown" and readers count (LP_HDR_NUMELE_UNKNOWN).
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), (ushort)Math.Min(Count, ushort.MaxValue));
        return _buffer.AsSpan(0, _used + 1);
    }

    private Span<byte> Reserve(int bytes)
    {
        long needed = (long)_used + bytes;
        if (needed > _buffer.Length)
        {
            if (needed > Array.MaxLength) throw new InvalidOperationException("the listpack outgrew the largest array");
            Array.Resize(ref _buffer, (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2)));
        }
        return _buffer.AsSpan(_used, bytes);
    }

    /// <summary>Writes the back-length after an entry of <paramref name="length"/> bytes at the start of <paramref name="entry"/> and keeps it.</summary>
    private void Commit(Span<byte> entry, int length)
    {
        int back = ListpackReader.BackLengthSize(length);
        Span<byte> b = entry.Slice(length, back);
        // Most significant 7 bits first; every byte but the first has the high bit, so it can be read from the end.
        for (int i = 0; i < back; i++)
        {
            int shift = 7 * (back - 1 - i);
            b[i] = (byte)(((length >> shift) & 127) | (i == 0 ? 0 : 128));
        }
        _used += length + back;
        Count++;
    }
}
