namespace TieredKv.Types.Bitmaps;

/// <summary>BITFIELD's reads and writes of integer fields, with Redis's overflow arithmetic (bitops.c's checkUnsignedBitfieldOverflow and checkSignedBitfieldOverflow).</summary>
internal static class BitField
{
    /// <summary>A GET on <paramref name="value"/>.</summary>
    public static long Read(ReadOnlySpan<byte> value, BitFieldOperation op)
    {
        ulong raw = ReadBits(value, op.Offset, op.Bits);
        return op.Signed ? SignExtend(raw, op.Bits) : (long)raw;
    }

    /// <summary>SET or INCRBY on a field of <paramref name="value"/>: SET replies the old value, INCRBY the new one; null when OVERFLOW FAIL refuses the write.</summary>
    public static long? Write(byte[] value, BitFieldOperation op)
    {
        long old = Read(value, op);
        bool incr = op.Kind == BitFieldOpKind.IncrBy;
        long candidate = incr ? old : op.Argument;
        long delta = incr ? op.Argument : 0;
        var (overflowed, limited) = op.Signed
            ? SignedOverflow(candidate, delta, op.Bits, op.Overflow)
            : UnsignedOverflow((ulong)candidate, delta, op.Bits, op.Overflow);
        if (overflowed && op.Overflow == BitFieldOverflow.Fail) return null;
        long stored = overflowed ? limited : unchecked(candidate + delta);
        WriteBits(value, op.Offset, op.Bits, (ulong)stored);
        return incr ? stored : old;
    }

    private static ulong ReadBits(ReadOnlySpan<byte> value, long offset, int bits)
    {
        ulong result = 0;
        for (int i = 0; i < bits; i++) result = (result << 1) | (uint)Bits.Get(value, offset + i);
        return result;
    }

    private static void WriteBits(byte[] value, long offset, int bits, ulong field)
    {
        for (int i = 0; i < bits; i++) Bits.Set(value, offset + i, ((field >> (bits - 1 - i)) & 1) != 0);
    }

    private static long SignExtend(ulong raw, int bits) =>
        bits < 64 && (raw & (1UL << (bits - 1))) != 0 ? (long)(raw | (ulong.MaxValue << bits)) : (long)raw;

    /// <summary>Whether value + increment leaves an unsigned field of <paramref name="bits"/>, and the wrapped or saturated result.</summary>
    private static (bool, long) UnsignedOverflow(ulong value, long increment, int bits, BitFieldOverflow mode)
    {
        ulong max = (1UL << bits) - 1;
        long maxIncrement = unchecked((long)(max - value));
        long minIncrement = unchecked(-(long)value);
        if (value > max || (increment > 0 && increment > maxIncrement))
            return (true, mode == BitFieldOverflow.Sat ? (long)max : (long)(unchecked(value + (ulong)increment) & max));
        if (increment < 0 && increment < minIncrement)
            return (true, mode == BitFieldOverflow.Sat ? 0 : (long)(unchecked(value + (ulong)increment) & max));
        return (false, 0);
    }

    /// <summary>As <see cref="UnsignedOverflow"/> for a signed field, with Redis's exact comparisons (including its 64-bit special cases).</summary>
    private static (bool, long) SignedOverflow(long value, long increment, int bits, BitFieldOverflow mode)
    {
        long max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = unchecked((long)((ulong)max - (ulong)value));
        long minIncrement = unchecked(min - value);
        if (value > max || (bits != 64 && increment > maxIncrement) || (value >= 0 && increment > 0 && increment > maxIncrement))
            return (true, mode == BitFieldOverflow.Sat ? max : Wrap(value, increment, bits));
        if (value < min || (bits != 64 && increment < minIncrement) || (value < 0 && increment < 0 && increment < minIncrement))
            return (true, mode == BitFieldOverflow.Sat ? min : Wrap(value, increment, bits));
        return (false, 0);
    }

    private static long Wrap(long value, long increment, int bits) => SignExtend(unchecked((ulong)value + (ulong)increment) & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1), bits);
}
