using System.Buffers;
using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>Writes RDB primitives to a stream through one buffer, keeping the CRC-64 of everything written.</summary>
public sealed class RdbOutput
{
    private const int BufferSize = 64 * 1024;
    /// <summary>Redis tries LZF only on strings longer than this.</summary>
    private const int CompressAbove = 20;
    /// <summary>Longest text of an int32 ("-2147483648"); only such short strings can be integers.</summary>
    private const int MaxIntegerText = 11;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private readonly LzfCompressor _lzf;
    private int _used;
    private int _crcFolded; // bytes of the buffer already in _crc
    private long _flushed;
    private ulong _crc;

    public RdbOutput(Stream stream) : this(stream, BufferSize, lzfHashBits: 14) { }

    private RdbOutput(Stream stream, int bufferSize, int lzfHashBits)
    {
        _stream = stream;
        _buffer = new byte[bufferSize];
        _lzf = new LzfCompressor(lzfHashBits);
    }

    /// <summary>
    /// An output sized for one DUMP payload (1 KiB buffer, 4 KiB LZF table): payloads are made one per key, and
    /// the file-sized buffers (128 KiB in all) would cost more to allocate and clear than encoding a small value.
    /// </summary>
    public static RdbOutput ForPayload(Stream stream) => new(stream, 1024, lzfHashBits: 10);

    public long BytesWritten => _flushed + _used;

    public void WriteByte(byte b)
    {
        if (_used == _buffer.Length) Flush();
        _buffer[_used++] = b;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            if (_used == _buffer.Length) Flush();
            int n = Math.Min(data.Length, _buffer.Length - _used);
            data[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            data = data[n..];
        }
    }

    public void WriteUInt64LittleEndian(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(b, value);
        Write(b);
    }

    public void WriteBinaryDouble(double value) => WriteUInt64LittleEndian(BitConverter.DoubleToUInt64Bits(value));

    public void WriteLength(ulong length)
    {
        Span<byte> b = stackalloc byte[9];
        if (length < 1 << 6)
        {
            WriteByte((byte)length);
        }
        else if (length < 1 << 14)
        {
            b[0] = (byte)((RdbEncoding.Len14Bit << 6) | (int)(length >> 8));
            b[1] = (byte)length;
            Write(b[..2]);
        }
        else if (length <= uint.MaxValue)
        {
            b[0] = RdbEncoding.Len32;
            BinaryPrimitives.WriteUInt32BigEndian(b[1..], (uint)length);
            Write(b[..5]);
        }
        else
        {
            b[0] = RdbEncoding.Len64;
            BinaryPrimitives.WriteUInt64BigEndian(b[1..], length);
            Write(b);
        }
    }

    /// <summary>Writes a string as Redis does: canonical integers in int encodings, compressible strings over 20 bytes as LZF, the rest raw.</summary>
    public void WriteString(ReadOnlySpan<byte> value)
    {
        if (value.Length <= MaxIntegerText && TryParseCanonicalInt32(value, out int integer))
        {
            WriteInteger(integer);
            return;
        }
        if (value.Length > CompressAbove && TryWriteLzf(value)) return;
        WriteLength((ulong)value.Length);
        Write(value);
    }

    /// <summary>The CRC is taken over the bytes before it, so it must be read before the 8 checksum bytes are written.</summary>
    public ulong TakeCrc()
    {
        FoldCrc();
        return _crc;
    }

    public void Flush()
    {
        FoldCrc();
        _stream.Write(_buffer, 0, _used);
        _flushed += _used;
        _used = 0;
        _crcFolded = 0;
    }

    private void FoldCrc()
    {
        if (_used > _crcFolded)
        {
            _crc = Crc64Jones.Update(_crc, _buffer.AsSpan(_crcFolded, _used - _crcFolded));
            _crcFolded = _used;
        }
    }

    private void WriteInteger(int value)
    {
        const int special = RdbEncoding.Special << 6;
        Span<byte> b = stackalloc byte[5];
        if (value >= sbyte.MinValue && value <= sbyte.MaxValue)
        {
            b[0] = special | RdbEncoding.Int8;
            b[1] = (byte)(sbyte)value;
            Write(b[..2]);
        }
        else if (value >= short.MinValue && value <= short.MaxValue)
        {
            b[0] = special | RdbEncoding.Int16;
            BinaryPrimitives.WriteInt16LittleEndian(b[1..], (short)value);
            Write(b[..3]);
        }
        else
        {
            b[0] = special | RdbEncoding.Int32;
            BinaryPrimitives.WriteInt32LittleEndian(b[1..], value);
            Write(b);
        }
    }

    private bool TryWriteLzf(ReadOnlySpan<byte> value)
    {
        // As Redis: keep the compressed form only when it saves more than 4 bytes.
        byte[] scratch = ArrayPool<byte>.Shared.Rent(value.Length - 4);
        try
        {
            int compressed = _lzf.Compress(value, scratch.AsSpan(0, value.Length - 4));
            if (compressed == 0) return false;
            WriteByte((RdbEncoding.Special << 6) | RdbEncoding.Lzf);
            WriteLength((ulong)compressed);
            WriteLength((ulong)value.Length);
            Write(scratch.AsSpan(0, compressed));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>True for the decimal text Redis would print for the same int32 (no '+', no leading zeros, no "-0").</summary>
    internal static bool TryParseCanonicalInt32(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length == 0) return false;
        bool negative = text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0 || digits.Length > 10) return false;
        if (digits[0] == '0' && (digits.Length > 1 || negative)) return false;
        long v = 0;
        foreach (byte c in digits)
        {
            if (c < '0' || c > '9') return false;
            v = v * 10 + (c - '0');
        }
        if (negative) v = -v;
        if (v < int.MinValue || v > int.MaxValue) return false;
        value = (int)v;
        return true;
    }
}
