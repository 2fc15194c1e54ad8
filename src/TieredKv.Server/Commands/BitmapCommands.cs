using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;
using TieredKv.Types.Bitmaps;

namespace TieredKv.Server.Commands;

/// <summary>The bitmap commands SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO; the semantics are the library's (<see cref="Bits"/>, <see cref="BitmapOperations.BitField"/>).</summary>
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

    private static void SetBit(CommandContext c)
    {
        long offset = BitOffset(c, 2);
        long on = c.Integer(3, "ERR bit is not an integer or out of range");
        if ((on & ~1L) != 0) throw new KvException("ERR bit is not an integer or out of range");
        c.Reply.WriteInteger(c.Db.SetBit(c.Args[1], offset, on == 1, out bool changed));
        c.ChangedNothing = !changed;
    }

    private static void GetBit(CommandContext c)
    {
        long offset = BitOffset(c, 2);
        c.Reply.WriteInteger(c.Db.GetBit(c.Args[1], offset));
    }

    private static BitUnit Unit(CommandContext c, int index)
    {
        if (c.Args.Is(index, "BIT"u8)) return BitUnit.Bit;
        if (c.Args.Is(index, "BYTE"u8)) return BitUnit.Byte;
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
        long start = 0, end = -1;
        var unit = BitUnit.Byte;
        if (c.ArgCount is 4 or 5)
        {
            (start, end) = (c.Integer(2), c.Integer(3));
            if (start < 0 && end < 0 && start > end)
            {
                c.Reply.WriteInteger(0);
                return;
            }
            if (c.ArgCount == 5) unit = Unit(c, 4);
        }
        else if (c.ArgCount != 2) throw CommandContext.Syntax();
        c.Reply.WriteInteger(Bits.Count(value, start, end, unit));
    }

    private static void BitPos(CommandContext c)
    {
        long bit = c.Integer(2);
        if (bit is not (0 or 1)) throw new KvException("ERR The bit argument must be 1 or 0.");
        // A missing key is an endless run of zeros, answered before the range is parsed.
        var value = c.Db.Get(c.Args[1]);
        long start = 0;
        long? end = null;
        var unit = BitUnit.Byte;
        if (value != null && c.ArgCount is >= 4 and <= 6)
        {
            start = c.Integer(3);
            if (c.ArgCount == 6) unit = Unit(c, 5);
            if (c.ArgCount >= 5) end = c.Integer(4);
        }
        else if (value != null && c.ArgCount != 3) throw CommandContext.Syntax();
        c.Reply.WriteInteger(Bits.Position(value, (int)bit, start, end, unit));
    }

    private static void BitOp(CommandContext c)
    {
        BitOperation op;
        if (c.Args.Is(1, "AND"u8)) op = BitOperation.And;
        else if (c.Args.Is(1, "OR"u8)) op = BitOperation.Or;
        else if (c.Args.Is(1, "XOR"u8)) op = BitOperation.Xor;
        else if (c.Args.Is(1, "NOT"u8)) op = BitOperation.Not;
        else throw CommandContext.Syntax();
        if (op == BitOperation.Not && c.ArgCount != 4) throw new KvException("ERR BITOP NOT must be called with a single source key.");
        c.Reply.WriteInteger(c.Db.BitOp(op, c.Arg(2), c.ArgList(3)));
    }

    private static void BitField(CommandContext c, bool readOnly)
    {
        var ops = ParseBitField(c);
        if (readOnly && ops.Any(o => o.Writes)) throw new KvException("ERR BITFIELD_RO only supports the GET subcommand");
        var replies = c.Db.BitField(c.Args[1], ops, out bool changed);
        c.ChangedNothing = !changed;
        c.Reply.WriteArrayHeader(replies.Length);
        foreach (var r in replies)
        {
            if (r is { } v) c.Reply.WriteInteger(v);
            else c.Reply.WriteNull();
        }
    }

    private static List<BitFieldOperation> ParseBitField(CommandContext c)
    {
        var ops = new List<BitFieldOperation>();
        var overflow = BitFieldOverflow.Wrap;
        for (int j = 2; j < c.ArgCount; j++)
        {
            int remaining = c.ArgCount - j - 1;
            BitFieldOpKind op;
            if (c.Args.Is(j, "GET"u8) && remaining >= 2) op = BitFieldOpKind.Get;
            else if (c.Args.Is(j, "SET"u8) && remaining >= 3) op = BitFieldOpKind.Set;
            else if (c.Args.Is(j, "INCRBY"u8) && remaining >= 3) op = BitFieldOpKind.IncrBy;
            else if (c.Args.Is(j, "OVERFLOW"u8) && remaining >= 1)
            {
                j++;
                if (c.Args.Is(j, "WRAP"u8)) overflow = BitFieldOverflow.Wrap;
                else if (c.Args.Is(j, "SAT"u8)) overflow = BitFieldOverflow.Sat;
                else if (c.Args.Is(j, "FAIL"u8)) overflow = BitFieldOverflow.Fail;
                else throw new KvException("ERR Invalid OVERFLOW type specified");
                continue;
            }
            else throw CommandContext.Syntax();

            var (signed, bits) = FieldType(c, j + 1);
            long offset = BitOffset(c, j + 2, bits);
            ops.Add(op switch
            {
                BitFieldOpKind.Get => BitFieldOperation.Get(signed, bits, offset),
                BitFieldOpKind.Set => BitFieldOperation.Set(signed, bits, offset, c.Integer(j + 3), overflow),
                _ => BitFieldOperation.IncrBy(signed, bits, offset, c.Integer(j + 3), overflow),
            });
            j += op == BitFieldOpKind.Get ? 2 : 3;
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
}
