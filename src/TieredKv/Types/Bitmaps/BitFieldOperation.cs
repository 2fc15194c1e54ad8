using TieredKv.Keyspace;

namespace TieredKv.Types.Bitmaps;

/// <summary>What one BITFIELD operation does.</summary>
public enum BitFieldOpKind
{
    Get,
    Set,
    IncrBy,
}

/// <summary>
/// One BITFIELD operation on a field of <see cref="Bits"/> bits (signed i1..i64 or unsigned u1..u63)
/// at bit <see cref="Offset"/>: GET, SET to <see cref="Argument"/> or INCRBY <see cref="Argument"/>, under an overflow policy.
/// </summary>
public readonly record struct BitFieldOperation
{
    private BitFieldOperation(BitFieldOpKind kind, bool signed, int bits, long offset, long argument, BitFieldOverflow overflow)
    {
        if (bits < 1 || bits > (signed ? 64 : 63))
            throw new KvException(KvErrorKind.OutOfRange, "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        if (offset < 0) throw new KvException(KvErrorKind.OutOfRange, "bit offset is not an integer or out of range");
        (Kind, Signed, Bits, Offset, Argument, Overflow) = (kind, signed, bits, offset, argument, overflow);
    }

    public BitFieldOpKind Kind { get; }
    public bool Signed { get; }
    public int Bits { get; }
    public long Offset { get; }
    public long Argument { get; }
    public BitFieldOverflow Overflow { get; }

    /// <summary>Whether the operation writes.</summary>
    public bool Writes => Kind != BitFieldOpKind.Get;

    /// <summary>GET: the field's value.</summary>
    public static BitFieldOperation Get(bool signed, int bits, long offset) =>
        new(BitFieldOpKind.Get, signed, bits, offset, 0, BitFieldOverflow.Wrap);

    /// <summary>SET: writes <paramref name="value"/>; the reply is the old value.</summary>
    public static BitFieldOperation Set(bool signed, int bits, long offset, long value, BitFieldOverflow overflow = BitFieldOverflow.Wrap) =>
        new(BitFieldOpKind.Set, signed, bits, offset, value, overflow);

    /// <summary>INCRBY: adds <paramref name="increment"/>; the reply is the new value.</summary>
    public static BitFieldOperation IncrBy(bool signed, int bits, long offset, long increment, BitFieldOverflow overflow = BitFieldOverflow.Wrap) =>
        new(BitFieldOpKind.IncrBy, signed, bits, offset, increment, overflow);
}
