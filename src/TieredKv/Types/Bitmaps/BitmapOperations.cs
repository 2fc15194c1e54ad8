using TieredKv.Keyspace;
using TieredKv.Types.Bitmaps;

namespace TieredKv;

/// <summary>The bitmap operations (Redis's bitops.c) over string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP and BITFIELD.</summary>
public static class BitmapOperations
{
    /// <summary>SETBIT: sets or clears the bit at <paramref name="offset"/>, growing the string with zeros; returns the old bit.</summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.OutOfRange"/>: a negative offset; <see cref="KvErrorKind.TooLarge"/>: one past the maximum string size.</exception>
    public static int SetBit(this KvDatabase db, ReadOnlySpan<byte> key, long offset, bool value) => db.SetBit(key, offset, value, out _);

    /// <summary>
    /// As <see cref="SetBit(KvDatabase, ReadOnlySpan{byte}, long, bool)"/>; <paramref name="changed"/> tells whether the key
    /// was written (created, grown or the bit flipped). As Redis, a write that changes nothing is not made nor reported.
    /// </summary>
    public static int SetBit(this KvDatabase db, ReadOnlySpan<byte> key, long offset, bool value, out bool changed)
    {
        CheckBitOffset(offset);
        CheckWritableBit(offset);
        var (old, written) = db.ModifyString(key, current =>
        {
            long needed = (offset >> 3) + 1;
            int before = Bits.Get(current, offset);
            if (current != null && current.Length >= needed && before == (value ? 1 : 0)) return (null, (before, false));
            var bytes = Bits.Grown(current, needed);
            Bits.Set(bytes, offset, value);
            return (bytes, (before, true));
        }, "setbit");
        changed = written;
        return old;
    }

    /// <summary>GETBIT: the bit at <paramref name="offset"/>; 0 past the end or for a missing key.</summary>
    public static int GetBit(this KvDatabase db, ReadOnlySpan<byte> key, long offset)
    {
        CheckBitOffset(offset);
        return Bits.Get(db.Get(key), offset);
    }

    /// <summary>BITCOUNT: the set bits between two inclusive offsets (negative ones from the end) in <paramref name="unit"/>s; the whole string by default.</summary>
    public static long BitCount(this KvDatabase db, ReadOnlySpan<byte> key, long start = 0, long end = -1, BitUnit unit = BitUnit.Byte) =>
        Bits.Count(db.Get(key), start, end, unit);

    /// <summary>BITPOS: the first bit equal to <paramref name="bit"/> (0 or 1) in the range, or -1 (see <see cref="Bits.Position"/>).</summary>
    public static long BitPos(this KvDatabase db, ReadOnlySpan<byte> key, int bit, long start = 0, long? end = null, BitUnit unit = BitUnit.Byte)
    {
        if (bit is not (0 or 1)) throw new KvException(KvErrorKind.OutOfRange, "The bit argument must be 1 or 0.");
        return Bits.Position(db.Get(key), bit, start, end, unit);
    }

    /// <summary>
    /// BITOP: stores in <paramref name="destination"/> the bitwise AND, OR, XOR of the sources (NOT of
    /// exactly one), as long as the longest, missing sources as empty; an empty result deletes it.
    /// Returns the length stored.
    /// </summary>
    public static long BitOp(this KvDatabase db, BitOperation operation, byte[] destination, IReadOnlyList<byte[]> sources)
    {
        if (sources.Count == 0 || (operation == BitOperation.Not && sources.Count != 1))
            throw new KvException(KvErrorKind.Syntax, "BITOP NOT takes exactly one source, the others at least one");
        return db.StoreFromStrings(destination, sources, values => Bits.Combine(operation, values), changeEvent: "set");
    }

    /// <summary>
    /// BITFIELD: runs <paramref name="operations"/> in order on one string, atomically; each gives a
    /// value, or null where OVERFLOW FAIL refused a write. With only GETs nothing is written (BITFIELD_RO);
    /// otherwise the string first grows to the farthest field written, as Redis grows it.
    /// </summary>
    public static long?[] BitField(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<BitFieldOperation> operations) =>
        db.BitField(key, operations, out _);

    /// <summary>
    /// As <see cref="BitField(KvDatabase, ReadOnlySpan{byte}, IReadOnlyList{BitFieldOperation})"/>; <paramref name="changed"/> tells
    /// whether the key was written (created, grown, or a SET/INCRBY stored another value). As Redis, a write that changes nothing is not made nor reported.
    /// </summary>
    public static long?[] BitField(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<BitFieldOperation> operations, out bool changed)
    {
        var replies = new long?[operations.Count];
        long highest = -1;
        foreach (var op in operations)
        {
            if (op.Writes) highest = Math.Max(highest, op.Offset + op.Bits - 1);
        }
        changed = false;
        if (highest < 0)
        {
            var value = db.Get(key) ?? [];
            for (int i = 0; i < operations.Count; i++) replies[i] = Types.Bitmaps.BitField.Read(value, operations[i]);
            return replies;
        }
        CheckWritableBit(highest);
        changed = db.ModifyString(key, old =>
        {
            // Redis grows the string to the farthest written bit before running any operation, even one that fails.
            var bytes = Bits.Grown(old, (highest >> 3) + 1);
            bool differs = old == null || bytes.Length != old.Length;
            for (int i = 0; i < operations.Count; i++)
            {
                var op = operations[i];
                replies[i] = op.Writes ? Types.Bitmaps.BitField.Write(bytes, op) : Types.Bitmaps.BitField.Read(bytes, op);
            }
            differs = differs || !bytes.AsSpan().SequenceEqual(old);
            return (differs ? bytes : null, differs);
        }, "setbit");
        return replies;
    }

    private static void CheckBitOffset(long offset)
    {
        if (offset < 0) throw new KvException(KvErrorKind.OutOfRange, "bit offset is not an integer or out of range");
    }

    /// <summary>Refuses a write that would grow the string past its maximum size, before allocating it.</summary>
    private static void CheckWritableBit(long offset)
    {
        if ((offset >> 3) >= KvDatabase.MaxStringLength) throw new KvException(KvErrorKind.TooLarge, "the string would exceed 512 MB");
    }
}
