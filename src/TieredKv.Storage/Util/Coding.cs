using System.Buffers.Binary;

namespace TieredKv.Storage.Util;

/// <summary>Little-endian fixed-width and LEB128 varint encodings used by every file format.</summary>
public static class Coding
{
    public const int MaxVarint32Length = 5;
    public const int MaxVarint64Length = 10;

    public static int VarintLength(ulong value)
    {
        int len = 1;
        while (value >= 0x80) { value >>= 7; len++; }
        return len;
    }

    /// <summary>Writes <paramref name="value"/> as a varint into <paramref name="dst"/>; returns the bytes written.</summary>
    public static int WriteVarint64(Span<byte> dst, ulong value)
    {
        int i = 0;
        while (value >= 0x80)
        {
            dst[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        dst[i++] = (byte)value;
        return i;
    }

    public static int WriteVarint32(Span<byte> dst, uint value) => WriteVarint64(dst, value);

    /// <summary>Reads a varint from the start of <paramref name="src"/>; returns bytes consumed, or 0 when malformed or cut short.</summary>
    public static int ReadVarint64(ReadOnlySpan<byte> src, out ulong value)
    {
        value = 0;
        for (int i = 0, shift = 0; i < src.Length && shift <= 63; i++, shift += 7)
        {
            ulong b = src[i];
            value |= (b & 0x7F) << shift;
            if (b < 0x80) return i + 1;
        }
        value = 0;
        return 0;
    }

    /// <summary>Reads a varint that must fit in 32 bits; returns bytes consumed, or 0 when malformed.</summary>
    public static int ReadVarint32(ReadOnlySpan<byte> src, out uint value)
    {
        int n = ReadVarint64(src, out ulong v);
        if (n == 0 || v > uint.MaxValue) { value = 0; return 0; }
        value = (uint)v;
        return n;
    }

    public static void WriteFixed32(Span<byte> dst, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(dst, value);
    public static void WriteFixed64(Span<byte> dst, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(dst, value);
    public static uint ReadFixed32(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadUInt32LittleEndian(src);
    public static ulong ReadFixed64(ReadOnlySpan<byte> src) => BinaryPrimitives.ReadUInt64LittleEndian(src);
}
