using System.Numerics;
using TieredKv.Keyspace;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>The bitmap commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO.</summary>
internal static class BitmapCommands
{
    private const string BadOffset = "ERR bit offset is not an integer or out of range";

    public static void Register(CommandTable t)
    {
        t.Add(new("setbit", 4, CommandFlags.Write, 1, 1, 1, SetBit));
        t.Add(new("getbit", 3, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, GetBit));
        t.Add(new("bitcount", -2, CommandFlags.ReadOnly, 1, 1, 1, BitCount));
        t.Add(new("bitpos", -3, CommandFlags.ReadOnly, 1, 1, 1, BitPos));
        t.Add(new("bitop", -4, CommandFlags.Write, 2, -1, 1, BitOp));
        t.Add(new("bitfield", -2, CommandFlags.Write, 1, 1, 1, c => BitField(c, readOnly: false)));
        t.Add(new("bitfield_ro", -2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => BitField(c, readOnly: true)));
    }

    /// <summary>
    /// A bit offset argument with Redis's limit (its byte must be below proto-max-bulk-len). With
    /// <paramref name="width"/> &gt; 0 a <c>#N</c> offset counts fields of that width.
    /// </summary>
    private static long BitOffset(CommandContext c, int index, int width = 0)
    {
        var arg = c.Args[index];
        bool fields = width > 0 && arg.Length > 0 && arg[0] == (byte)'#';
        if (!RedisNumbers.TryParseInteger(fields ? arg[1..] : arg, out long offset)) throw new KvException(BadOffset);
        if (fields) offset = unchecked(offset * width); // Redis multiplies without an overflow check; a wrapped result is refused below
        if (offset < 0 || (offset >> 3) >= c.Server.Options.ProtoMaxBulkLen) throw new KvException(BadOffset);
        return offset;
    }

    private static int Bit(byte[] value, long bit)
    {
        long index = bit >> 3;
        return index < value.Length ? (value[index] >> (7 - (int)(bit & 7))) & 1 : 0;
    }

    /// <summary>A copy of <paramref name="value"/> at least <paramref name="length"/> bytes long, zero-padded: stored values are shared and never changed in place.</summary>
    private static byte[] Grown(byte[]? value, long length)
    {
        var copy = new byte[Math.Max(value?.Length ?? 0, length)];
        value?.CopyTo(copy, 0);
        return copy;
    }

    private static void SetBit(CommandContext c)
    {
        long offset = BitOffset(c, 2);
        long on = c.Integer(3, "ERR bit is not an integer or out of range");
        if ((on & ~1L) != 0) throw new KvException("ERR bit is not an integer or out of range");
        int old = 0;
        c.Db.UpdateString(c.Args[1], value =>
        {
            var bytes = Grown(value, (offset >> 3) + 1);
            old = Bit(bytes, offset);
            int mask = 1 << (7 - (int)(offset & 7));
            bytes[offset >> 3] = (byte)(on == 1 ? bytes[offset >> 3] | mask : bytes[offset >> 3] & ~mask);
            return bytes;
        });
        c.Reply.WriteInteger(old);
    }

    private static void GetBit(CommandContext c)
    {
        long offset = BitOffset(c, 2);
        c.Reply.WriteInteger(Bit(c.Db.Get(c.Args[1]) ?? [], offset));
    }

    /// <summary>
    /// Clamps a start/end pair as BITCOUNT and BITPOS do (negatives from the end, then into the
    /// string) and returns the inclusive bit range; empty when start &gt; end.
    /// </summary>
    private static (long From, long To) BitRange(long length, long start, long end, bool inBits)
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

    private static bool IsBitUnit(CommandContext c, int index)
    {
        if (c.Args.Is(index, "BIT"u8)) return true;
        if (c.Args.Is(index, "BYTE"u8)) return false;
        throw CommandContext.Syntax();
    }

    private static void BitCount(CommandContext c)
    {
        // Redis 7.0 looks the key up before it parses the range: a missing key is 0 whatever follows.
        var value = c.Db.Get(c.Args[1]);
        if (value == null)
        {
            c.Reply.WriteInteger(0);
            return;
        }
        long from = 0, to = ((long)value.Length << 3) - 1;
        if (c.ArgCount is 4 or 5)
        {
            long start = c.Integer(2), end = c.Integer(3);
            if (start < 0 && end < 0 && start > end)
            {
                c.Reply.WriteInteger(0);
                return;
            }
            bool inBits = c.ArgCount == 5 && IsBitUnit(c, 4);
            (from, to) = BitRange(value.Length, start, end, inBits);
        }
        else if (c.ArgCount != 2) throw CommandContext.Syntax();
        c.Reply.WriteInteger(from > to ? 0 : PopCount(value, from, to));
    }

    /// <summary>Set bits in the inclusive bit range.</summary>
    private static long PopCount(byte[] value, long from, long to)
    {
        long firstByte = from >> 3, lastByte = to >> 3;
        if (firstByte == lastByte) return BitOperations.PopCount((uint)(value[firstByte] & RangeMask(from, to)));
        long count = BitOperations.PopCount((uint)(value[firstByte] & RangeMask(from, (firstByte << 3) + 7)));
        count += BitOperations.PopCount((uint)(value[lastByte] & RangeMask(lastByte << 3, to)));
        var middle = value.AsSpan((int)firstByte + 1, (int)(lastByte - firstByte - 1));
        var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(middle);
        foreach (ulong w in words) count += BitOperations.PopCount(w);
        foreach (byte b in middle[(words.Length * 8)..]) count += BitOperations.PopCount(b);
        return count;
    }

    /// <summary>The mask of the bits of one byte between two bit positions in it (inclusive, MSB first).</summary>
    private static int RangeMask(long from, long to) => (0xFF >> (int)(from & 7)) & (0xFF << (7 - (int)(to & 7))) & 0xFF;

    private static void BitPos(CommandContext c)
    {
        long bit = c.Integer(2);
        if (bit is not (0 or 1)) throw new KvException("ERR The bit argument must be 1 or 0.");
        // A missing key is an endless run of zeros, answered before the range is parsed.
        var value = c.Db.Get(c.Args[1]);
        if (value == null)
        {
            c.Reply.WriteInteger(bit == 1 ? -1 : 0);
            return;
        }
        long from = 0, to = ((long)value.Length << 3) - 1;
        bool endGiven = false;
        if (c.ArgCount is >= 4 and <= 6)
        {
            long start = c.Integer(3);
            bool inBits = c.ArgCount == 6 && IsBitUnit(c, 5);
            long end;
            if (c.ArgCount >= 5)
            {
                end = c.Integer(4);
                endGiven = true;
            }
            else end = inBits ? ((long)value.Length << 3) + 7 : value.Length - 1;
            (from, to) = BitRange(value.Length, start, end, inBits);
        }
        else if (c.ArgCount != 3) throw CommandContext.Syntax();

        if (from > to)
        {
            c.Reply.WriteInteger(-1);
            return;
        }
        long found = FindBit(value, from, to, (int)bit);
        // Without an explicit end, the string counts as padded with zeros: the first clear bit is just past it.
        if (found < 0 && bit == 0 && !endGiven) found = ((to >> 3) + 1) << 3;
        c.Reply.WriteInteger(found);
    }

    /// <summary>The first bit equal to <paramref name="bit"/> in the inclusive range, or -1.</summary>
    private static long FindBit(byte[] value, long from, long to, int bit)
    {
        for (long i = from >> 3; i <= to >> 3; i++)
        {
            int b = bit == 1 ? value[i] : ~value[i] & 0xFF;
            int masked = b & RangeMask(Math.Max(from, i << 3), Math.Min(to, (i << 3) + 7));
            if (masked != 0) return (i << 3) + BitOperations.LeadingZeroCount((uint)masked) - 24;
        }
        return -1;
    }

    private static void BitOp(CommandContext c)
    {
        string op = c.Text(1).ToUpperInvariant();
        if (op is not ("AND" or "OR" or "XOR" or "NOT")) throw CommandContext.Syntax();
        if (op == "NOT" && c.ArgCount != 4) throw new KvException("ERR BITOP NOT must be called with a single source key.");
        var sources = Enumerable.Range(3, c.ArgCount - 3).Select(c.Arg).ToList();
        long length = c.Db.StoreFromStrings(c.Arg(2), sources, values => Combine(op, values));
        c.Reply.WriteInteger(length);
    }

    /// <summary>BITOP's result: as long as the longest source, shorter sources padded with zeros.</summary>
    private static byte[] Combine(string op, byte[]?[] values)
    {
        int length = values.Max(v => v?.Length ?? 0);
        var result = new byte[length];
        if (length == 0) return result;
        if (op == "NOT")
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
                    "AND" => (byte)(result[i] & b),
                    "OR" => (byte)(result[i] | b),
                    _ => (byte)(result[i] ^ b),
                };
            }
        }
        return result;
    }

    private enum Overflow { Wrap, Sat, Fail }

    private enum FieldOp { Get, Set, IncrBy }

    private readonly record struct BitFieldOp(FieldOp Op, bool Signed, int Bits, long Offset, long Argument, Overflow Overflow);

    private static void BitField(CommandContext c, bool readOnly)
    {
        var ops = ParseBitField(c);
        bool writes = ops.Any(o => o.Op != FieldOp.Get);
        var replies = new List<long?>(ops.Count);
        if (!writes)
        {
            var value = c.Db.Get(c.Args[1]) ?? [];
            foreach (var op in ops) replies.Add(Read(value, op));
        }
        else
        {
            if (readOnly) throw new KvException("ERR BITFIELD_RO only supports the GET subcommand");
            long highest = ops.Where(o => o.Op != FieldOp.Get).Max(o => o.Offset + o.Bits - 1);
            c.Db.UpdateString(c.Args[1], old =>
            {
                // Redis grows the string to the farthest written bit before running any operation, even one that fails.
                var bytes = Grown(old, (highest >> 3) + 1);
                replies.Clear();
                foreach (var op in ops) replies.Add(op.Op == FieldOp.Get ? Read(bytes, op) : Write(bytes, op));
                return bytes;
            });
        }
        c.Reply.WriteArrayHeader(replies.Count);
        foreach (var r in replies)
        {
            if (r is { } v) c.Reply.WriteInteger(v);
            else c.Reply.WriteNull();
        }
    }

    private static List<BitFieldOp> ParseBitField(CommandContext c)
    {
        var ops = new List<BitFieldOp>();
        var overflow = Overflow.Wrap;
        for (int j = 2; j < c.ArgCount; j++)
        {
            int remaining = c.ArgCount - j - 1;
            FieldOp op;
            if (c.Args.Is(j, "GET"u8) && remaining >= 2) op = FieldOp.Get;
            else if (c.Args.Is(j, "SET"u8) && remaining >= 3) op = FieldOp.Set;
            else if (c.Args.Is(j, "INCRBY"u8) && remaining >= 3) op = FieldOp.IncrBy;
            else if (c.Args.Is(j, "OVERFLOW"u8) && remaining >= 1)
            {
                j++;
                if (c.Args.Is(j, "WRAP"u8)) overflow = Overflow.Wrap;
                else if (c.Args.Is(j, "SAT"u8)) overflow = Overflow.Sat;
                else if (c.Args.Is(j, "FAIL"u8)) overflow = Overflow.Fail;
                else throw new KvException("ERR Invalid OVERFLOW type specified");
                continue;
            }
            else throw CommandContext.Syntax();

            var (signed, bits) = FieldType(c, j + 1);
            long offset = BitOffset(c, j + 2, bits);
            long argument = op == FieldOp.Get ? 0 : c.Integer(j + 3);
            ops.Add(new BitFieldOp(op, signed, bits, offset, argument, overflow));
            j += op == FieldOp.Get ? 2 : 3;
        }
        return ops;
    }

    /// <summary>i1..i64 or u1..u63 (case-sensitive, as Redis).</summary>
    private static (bool Signed, int Bits) FieldType(CommandContext c, int index)
    {
        var arg = c.Args[index];
        var error = new KvException("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
        if (arg.IsEmpty || (arg[0] != (byte)'i' && arg[0] != (byte)'u')) throw error;
        bool signed = arg[0] == (byte)'i';
        if (!RedisNumbers.TryParseInteger(arg[1..], out long bits) || bits < 1 || bits > (signed ? 64 : 63)) throw error;
        return (signed, (int)bits);
    }

    private static ulong ReadBits(byte[] value, long offset, int bits)
    {
        ulong result = 0;
        for (int i = 0; i < bits; i++) result = (result << 1) | (uint)Bit(value, offset + i);
        return result;
    }

    private static void WriteBits(byte[] value, long offset, int bits, ulong field)
    {
        for (int i = 0; i < bits; i++)
        {
            long bit = offset + i;
            int mask = 1 << (7 - (int)(bit & 7));
            bool on = ((field >> (bits - 1 - i)) & 1) != 0;
            value[bit >> 3] = (byte)(on ? value[bit >> 3] | mask : value[bit >> 3] & ~mask);
        }
    }

    private static long SignExtend(ulong raw, int bits) =>
        bits < 64 && (raw & (1UL << (bits - 1))) != 0 ? (long)(raw | (ulong.MaxValue << bits)) : (long)raw;

    private static long Read(byte[] value, BitFieldOp op)
    {
        ulong raw = ReadBits(value, op.Offset, op.Bits);
        return op.Signed ? SignExtend(raw, op.Bits) : (long)raw;
    }

    /// <summary>SET or INCRBY on a field of <paramref name="value"/>: SET replies the old value, INCRBY the new one; null when OVERFLOW FAIL refuses the write.</summary>
    private static long? Write(byte[] value, BitFieldOp op)
    {
        long old = Read(value, op);
        bool incr = op.Op == FieldOp.IncrBy;
        long candidate = incr ? old : op.Argument;
        long delta = incr ? op.Argument : 0;
        var (overflowed, limited) = op.Signed
            ? SignedOverflow(candidate, delta, op.Bits, op.Overflow)
            : UnsignedOverflow((ulong)candidate, delta, op.Bits, op.Overflow);
        if (overflowed && op.Overflow == Overflow.Fail) return null;
        long stored = overflowed ? limited : unchecked(candidate + delta);
        WriteBits(value, op.Offset, op.Bits, (ulong)stored);
        return incr ? stored : old;
    }

    /// <summary>Whether value + increment leaves an unsigned field of <paramref name="bits"/>, and the wrapped or saturated result.</summary>
    private static (bool, long) UnsignedOverflow(ulong value, long increment, int bits, Overflow mode)
    {
        ulong max = (1UL << bits) - 1;
        long maxIncrement = unchecked((long)(max - value));
        long minIncrement = unchecked(-(long)value);
        if (value > max || (increment > 0 && increment > maxIncrement))
            return (true, mode == Overflow.Sat ? (long)max : (long)(unchecked(value + (ulong)increment) & max));
        if (increment < 0 && increment < minIncrement)
            return (true, mode == Overflow.Sat ? 0 : (long)(unchecked(value + (ulong)increment) & max));
        return (false, 0);
    }

    /// <summary>As <see cref="UnsignedOverflow"/> for a signed field, with Redis's exact comparisons (including its 64-bit special cases).</summary>
    private static (bool, long) SignedOverflow(long value, long increment, int bits, Overflow mode)
    {
        long max = bits == 64 ? long.MaxValue : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncrement = unchecked((long)((ulong)max - (ulong)value));
        long minIncrement = unchecked(min - value);
        if (value > max || (bits != 64 && increment > maxIncrement) || (value >= 0 && increment > 0 && increment > maxIncrement))
            return (true, mode == Overflow.Sat ? max : Wrap(value, increment, bits));
        if (value < min || (bits != 64 && increment < minIncrement) || (value < 0 && increment < 0 && increment < minIncrement))
            return (true, mode == Overflow.Sat ? min : Wrap(value, increment, bits));
        return (false, 0);
    }

    private static long Wrap(long value, long increment, int bits) => SignExtend(unchecked((ulong)value + (ulong)increment) & (bits == 64 ? ulong.MaxValue : (1UL << bits) - 1), bits);
}
