using System.Numerics;
using System.Runtime.InteropServices;

namespace TieredKv.Types.Bitmaps;

/// <summary>
/// The bitmap algorithms of Redis's bitops.c over a string value (bit 0 is the most significant bit
/// of the first byte). Pure functions: the <see cref="KvDatabase"/> operations read and write the keys.
/// </summary>
public static class Bits
{
    /// <summary>GETBIT on a value: the bit at <paramref name="offset"/>, 0 past the end.</summary>
    public static int Get(ReadOnlySpan<byte> value, long offset)
    {
        long index = offset >> 3;
        return index < value.Length ? (value[(int)index] >> (7 - (int)(offset & 7))) & 1 : 0;
    }

    /// <summary>
    /// BITCOUNT on a value (null: a missing key): the set bits between two inclusive offsets,
    /// negative ones counting from the end; the whole value by default.
    /// </summary>
    public static long Count(byte[]? value, long start = 0, long end = -1, BitUnit unit = BitUnit.Byte)
    {
        if (value == null) return 0;
        if (start < 0 && end < 0 && start > end) return 0;
        var (from, to) = Range(value.Length, start, end, unit == BitUnit.Bit);
        return from > to ? 0 : PopCount(value, from, to);
    }

    /// <summary>
    /// BITPOS on a value (null: a missing key, an endless run of zeros): the first bit equal to
    /// <paramref name="bit"/> from <paramref name="start"/>, or -1. Without an <paramref name="end"/>,
    /// the value counts as padded with zeros: looking for 0 in all ones gives the bit just past it.
    /// </summary>
    public static long Position(byte[]? value, int bit, long start = 0, long? end = null, BitUnit unit = BitUnit.Byte)
    {
        if (value == null) return bit == 1 ? -1 : 0;
        bool inBits = unit == BitUnit.Bit;
        long last = end ?? (inBits ? ((long)value.Length << 3) + 7 : value.Length - 1);
        var (from, to) = Range(value.Length, start, last, inBits);
        if (from > to) return -1;
        long found = Find(value, from, to, bit);
        if (found < 0 && bit == 0 && end == null) found = ((to >> 3) + 1) << 3;
        return found;
    }

    /// <summary>A copy of <paramref name="value"/> at least <paramref name="length"/> bytes long, zero-padded: stored values are shared and never changed in place.</summary>
    internal static byte[] Grown(byte[]? value, long length)
    {
        var copy = new byte[Math.Max(value?.Length ?? 0, length)];
        value?.CopyTo(copy, 0);
        return copy;
    }

    /// <summary>Sets or clears one bit of a value long enough to hold it.</summary>
    internal static void Set(byte[] value, long offset, bool on)
    {
        int mask = 1 << (7 - (int)(offset & 7));
        value[offset >> 3] = (byte)(on ? value[offset >> 3] | mask : value[offset >> 3] & ~mask);
    }

    /// <summary>BITOP's result: as long as the longest source, shorter sources padded with zeros.</summary>
    internal static byte[] Combine(BitOperation op, byte[]?[] values)
    {
        int length = values.Max(v => v?.Length ?? 0);
        var result = new byte[length];
        if (length == 0) return result;
        if (op == BitOperation.Not)
        {
            for (int i = 0; i < length; i++) result[i] = (byte)~values[0]![i];
            return result;
        }
        var first = values[0] ?? [];
        first.CopyTo(result, 0);
        for (int k = 1; k < values.Length; k++)
        {
            var v = values[k] ?? [];
            for (int i = 0; i < length; i++)
            {
                byte b = i < v.Length ? v[i] : (byte)0;
                result[i] = op switch
                {
                    BitOperation.And => (byte)(result[i] & b),
                    BitOperation.Or => (byte)(result[i] | b),
                    _ => (byte)(result[i] ^ b),
                };
            }
        }
        return result;
    }

    /// <summary>
    /// Clamps a start/end pair as BITCOUNT and BITPOS do (negatives from the end, then into the
    /// string) and returns the inclusive bit range; empty when start &gt; end.
    /// </summary>
    private static (long From, long To) Range(long length, long start, long end, bool inBits)
    {
        long total = inBits ? length << 3 : length;
        if (start < 0) start = total + start;
        if (end < 0) end = total + end;
        if (start < 0) start = 0;
        if (end < 0) end = 0;
        if (end >= total) end = total - 1;
        if (start > end) return (0, -1);
        return inBits ? (start, end) : (start << 3, (end << 3) + 7);
    }

    /// <summary>Set bits in the inclusive bit range.</summary>
    private static long PopCount(byte[] value, long from, long to)
    {
        long firstByte = from >> 3, lastByte = to >> 3;
        if (firstByte == lastByte) return BitOperations.PopCount((uint)(value[firstByte] & RangeMask(from, to)));
        long count = BitOperations.PopCount((uint)(value[firstByte] & RangeMask(from, (firstByte << 3) + 7)));
        count += BitOperations.PopCount((uint)(value[lastByte] & RangeMask(lastByte << 3, to)));
        var middle = value.AsSpan((int)firstByte + 1, (int)(lastByte - firstByte - 1));
        var words = MemoryMarshal.Cast<byte, ulong>(middle);
        foreach (ulong w in words) count += BitOperations.PopCount(w);
        foreach (byte b in middle[(words.Length * 8)..]) count += BitOperations.PopCount(b);
        return count;
    }

    /// <summary>The mask of the bits of one byte between two bit positions in it (inclusive, MSB first).</summary>
    private static int RangeMask(long from, long to) => (0xFF >> (int)(from & 7)) & (0xFF << (7 - (int)(to & 7))) & 0xFF;

    /// <summary>The first bit equal to <paramref name="bit"/> in the inclusive range, or -1.</summary>
    private static long Find(byte[] value, long from, long to, int bit)
    {
        for (long i = from >> 3; i <= to >> 3; i++)
        {
            int b = bit == 1 ? value[i] : ~value[i] & 0xFF;
            int masked = b & RangeMask(Math.Max(from, i << 3), Math.Min(to, (i << 3) + 7));
            if (masked != 0) return (i << 3) + BitOperations.LeadingZeroCount((uint)masked) - 24;
        }
        return -1;
    }
}
