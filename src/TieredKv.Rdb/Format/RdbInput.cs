using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace TieredKv.Rdb.Format;

/// <summary>
/// Reads RDB primitives from a stream through one fixed buffer, keeping the byte offset (for errors) and
/// the running CRC-64 of everything consumed. Nothing is allocated for a claimed length before its bytes
/// have arrived, so a corrupt length fails as truncation instead of exhausting memory.
/// </summary>
internal sealed class RdbInput
{
    private const int BufferSize = 64 * 1024;
    /// <summary>Strings are grown in steps of this size so their memory follows the bytes actually read.</summary>
    private const int GrowthStep = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _pos, _end;
    private int _crcFrom;
    private long _bufferOffset;
    private ulong _crc;

    /// <param name="bufferSize">At most 64 KiB; less for input known to be short (a DUMP payload), where allocating the full buffer per value dominates.</param>
    public RdbInput(Stream stream, int bufferSize = BufferSize)
    {
        _stream = stream;
        _buffer = new byte[Math.Clamp(bufferSize, 16, BufferSize)];
    }

    /// <summary>Offset in the stream of the next byte to be read.</summary>
    public long Offset => _bufferOffset + _pos;

    /// <summary>CRC-64 of every byte consumed so far.</summary>
    public ulong Crc
    {
        get
        {
            FoldCrc();
            return _crc;
        }
    }

    public RdbFormatException Error(string problem) => new(Offset, problem);

    public byte ReadByte(string what)
    {
        if (_pos == _end && !Fill(1)) throw Truncated(what);
        return _buffer[_pos++];
    }

    public void ReadExactly(Span<byte> destination, string what)
    {
        while (destination.Length > 0)
        {
            if (_pos == _end)
            {
                if (destination.Length >= _buffer.Length)
                {
                    // Large reads bypass the buffer; the CRC follows the bytes wherever they land.
                    FoldCrc();
                    _bufferOffset += _pos;
                    _pos = _end = _crcFrom = 0;
                    int direct = _stream.Read(destination);
                    if (direct <= 0) throw Truncated(what);
                    _crc = Crc64Jones.Update(_crc, destination[..direct]);
                    _bufferOffset += direct;
                    destination = destination[direct..];
                    continue;
                }
                if (!Fill(1)) throw Truncated(what);
            }
            int n = Math.Min(destination.Length, _end - _pos);
            _buffer.AsSpan(_pos, n).CopyTo(destination);
            _pos += n;
            destination = destination[n..];
        }
    }

    public ulong ReadUInt64LittleEndian(string what)
    {
        Span<byte> b = stackalloc byte[8];
        ReadExactly(b, what);
        return BinaryPrimitives.ReadUInt64LittleEndian(b);
    }

    public uint ReadUInt32LittleEndian(string what)
    {
        Span<byte> b = stackalloc byte[4];
        ReadExactly(b, what);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public double ReadBinaryDouble(string what) => BitConverter.UInt64BitsToDouble(ReadUInt64LittleEndian(what));

    /// <summary>Reads an RDB length; <paramref name="isEncoded"/> is set when the byte announced a special string encoding instead (its number is returned).</summary>
    public ulong ReadLength(string what, out bool isEncoded)
    {
        isEncoded = false;
        byte first = ReadByte(what);
        switch (first >> 6)
        {
            case RdbEncoding.Len6Bit:
                return (ulong)(first & 0x3f);
            case RdbEncoding.Len14Bit:
                return (ulong)(((first & 0x3f) << 8) | ReadByte(what));
            case RdbEncoding.Special:
                isEncoded = true;
                return (ulong)(first & 0x3f);
        }
        if (first == RdbEncoding.Len32)
        {
            Span<byte> b = stackalloc byte[4];
            ReadExactly(b, what);
            return BinaryPrimitives.ReadUInt32BigEndian(b);
        }
        if (first == RdbEncoding.Len64)
        {
            Span<byte> b = stackalloc byte[8];
            ReadExactly(b, what);
            return BinaryPrimitives.ReadUInt64BigEndian(b);
        }
        throw new RdbFormatException(Offset - 1, $"unknown length encoding 0x{first:x2} reading {what}");
    }

    /// <summary>A plain length (a count, a db number); a special encoding here is corruption.</summary>
    public ulong ReadLength(string what)
    {
        long at = Offset;
        ulong length = ReadLength(what, out bool isEncoded);
        if (isEncoded) throw new RdbFormatException(at, $"expected a length for {what}, found a string encoding");
        return length;
    }

    /// <summary>A length that must fit in an int (string and blob sizes).</summary>
    public int ReadSize(string what)
    {
        long at = Offset;
        ulong length = ReadLength(what);
        if (length > (ulong)Array.MaxLength) throw new RdbFormatException(at, $"length {length} of {what} is larger than any value");
        return (int)length;
    }

    /// <summary>Reads an RDB string in any of its encodings (raw, int8/16/32, LZF).</summary>
    public byte[] ReadString(string what)
    {
        long at = Offset;
        ulong length = ReadLength(what, out bool isEncoded);
        if (!isEncoded)
        {
            if (length > (ulong)Array.MaxLength) throw new RdbFormatException(at, $"length {length} of {what} is larger than any value");
            return ReadBytes((int)length, what);
        }
        switch ((int)length)
        {
            case RdbEncoding.Int8: return CompactInteger.ToBytes((sbyte)ReadByte(what));
            case RdbEncoding.Int16:
            {
                Span<byte> b = stackalloc byte[2];
                ReadExactly(b, what);
                return CompactInteger.ToBytes(BinaryPrimitives.ReadInt16LittleEndian(b));
            }
            case RdbEncoding.Int32:
            {
                Span<byte> b = stackalloc byte[4];
                ReadExactly(b, what);
                return CompactInteger.ToBytes(BinaryPrimitives.ReadInt32LittleEndian(b));
            }
            case RdbEncoding.Lzf:
                return ReadLzf(what);
            default:
                throw new RdbFormatException(at, $"unknown string encoding {length} for {what}");
        }
    }

    private byte[] ReadLzf(string what)
    {
        int compressedLength = ReadSize(what + " (compressed length)");
        long at = Offset;
        int length = ReadSize(what + " (uncompressed length)");
        // One LZF match of at most 3 bytes expands to at most 264: a longer claim is corruption, refused before allocating.
        if (length > (long)compressedLength * 88 + 32)
            throw new RdbFormatException(at, $"LZF {what} claims {length} bytes from {compressedLength} compressed bytes");
        long dataAt = Offset;
        byte[] compressed = ReadBytes(compressedLength, what);
        var output = new byte[length];
        if (!Lzf.TryDecompress(compressed, output)) throw new RdbFormatException(dataAt, $"LZF data of {what} does not decompress to {length} bytes");
        return output;
    }

    /// <summary>Reads <paramref name="length"/> bytes, growing the result only as bytes arrive.</summary>
    public byte[] ReadBytes(int length, string what)
    {
        if (length <= GrowthStep)
        {
            var small = new byte[length];
            ReadExactly(small, what);
            return small;
        }
        var result = new byte[GrowthStep];
        int filled = 0;
        while (filled < length)
        {
            if (filled == result.Length) Array.Resize(ref result, (int)Math.Min(length, (long)result.Length * 2));
            int n = Math.Min(result.Length - filled, GrowthStep);
            ReadExactly(result.AsSpan(filled, n), what);
            filled += n;
        }
        return result;
    }

    /// <summary>Skips a string in any encoding without keeping it.</summary>
    public void SkipString(string what)
    {
        long at = Offset;
        ulong length = ReadLength(what, out bool isEncoded);
        if (isEncoded)
        {
            switch ((int)length)
            {
                case RdbEncoding.Int8: Skip(1, what); return;
                case RdbEncoding.Int16: Skip(2, what); return;
                case RdbEncoding.Int32: Skip(4, what); return;
                case RdbEncoding.Lzf:
                    ulong compressed = ReadLength(what);
                    ReadLength(what);
                    Skip(compressed, what);
                    return;
                default: throw new RdbFormatException(at, $"unknown string encoding {length} for {what}");
            }
        }
        Skip(length, what);
    }

    public void Skip(ulong count, string what)
    {
        while (count > 0)
        {
            if (_pos == _end && !Fill(1)) throw Truncated(what);
            int n = (int)Math.Min(count, (ulong)(_end - _pos));
            _pos += n;
            count -= (ulong)n;
        }
    }

    /// <summary>Doubles of the old ZSET type: a length byte then "%.17g" text; 253, 254, 255 are NaN, +inf, -inf.</summary>
    public double ReadStringDouble(string what)
    {
        long at = Offset;
        byte length = ReadByte(what);
        switch (length)
        {
            case 253: return double.NaN;
            case 254: return double.PositiveInfinity;
            case 255: return double.NegativeInfinity;
        }
        Span<byte> text = stackalloc byte[length];
        ReadExactly(text, what);
        if (!double.TryParse(Encoding.ASCII.GetString(text), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new RdbFormatException(at, $"{what} is not a number");
        return value;
    }

    private RdbFormatException Truncated(string what) => new(Offset, $"file ends while reading {what}");

    private void FoldCrc()
    {
        if (_pos > _crcFrom)
        {
            _crc = Crc64Jones.Update(_crc, _buffer.AsSpan(_crcFrom, _pos - _crcFrom));
            _crcFrom = _pos;
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available; false at the end of the stream.</summary>
    private bool Fill(int count)
    {
        FoldCrc();
        if (_pos > 0)
        {
            int remaining = _end - _pos;
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, remaining);
            _bufferOffset += _pos;
            _end = remaining;
            _pos = 0;
            _crcFrom = 0;
        }
        while (_end < count)
        {
            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n <= 0) return false;
            _end += n;
        }
        return true;
    }
}
