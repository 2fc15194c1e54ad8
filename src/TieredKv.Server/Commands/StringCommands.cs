using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>The string commands (bit operations and LCS live in their own file).</summary>
internal static class StringCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("get", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteBulkOrNull(c.Db.Get(c.Args[1]))));
        t.Add(new("set", -3, CommandFlags.Write, 1, 1, 1, Set));
        t.Add(new("setnx", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.Set(c.Args[1], c.Args[2], SetCondition.IfNotExists).Written ? 1 : 0)));
        t.Add(new("setex", 4, CommandFlags.Write, 1, 1, 1, c => SetEx(c, seconds: true)));
        t.Add(new("psetex", 4, CommandFlags.Write, 1, 1, 1, c => SetEx(c, seconds: false)));
        t.Add(new("getset", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteBulkOrNull(c.Db.Set(c.Args[1], c.Args[2], returnOld: true).OldValue)));
        t.Add(new("getdel", 2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteBulkOrNull(c.Db.GetDel(c.Args[1]))));
        t.Add(new("getex", -2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, GetEx));
        t.Add(new("mget", -2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, -1, 1, MGet));
        t.Add(new("mset", -3, CommandFlags.Write, 1, -1, 2, c => { MSet(c, onlyIfNoneExist: false); c.Reply.WriteOk(); }));
        t.Add(new("msetnx", -3, CommandFlags.Write, 1, -1, 2, c => c.Reply.WriteInteger(MSet(c, onlyIfNoneExist: true) ? 1 : 0)));
        t.Add(new("append", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.Append(c.Args[1], c.Args[2]))));
        t.Add(new("strlen", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.StrLen(c.Args[1]))));
        t.Add(new("getrange", 4, CommandFlags.ReadOnly, 1, 1, 1, GetRange));
        t.Add(new("substr", 4, CommandFlags.ReadOnly, 1, 1, 1, GetRange));
        t.Add(new("setrange", 4, CommandFlags.Write, 1, 1, 1, SetRange));
        t.Add(new("incr", 2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.IncrBy(c.Args[1], 1))));
        t.Add(new("decr", 2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.IncrBy(c.Args[1], -1))));
        t.Add(new("incrby", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.IncrBy(c.Args[1], c.Integer(2)))));
        t.Add(new("decrby", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, DecrBy));
        t.Add(new("incrbyfloat", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, IncrByFloat));
    }

    /// <summary>INCRBYFLOAT: the increment is read as Redis reads it, into a long double (1e400 is a valid increment).</summary>
    private static void IncrByFloat(CommandContext c)
    {
        if (!LongDouble.TryParse(c.Args[2], out var increment)) throw new KvException("ERR value is not a valid float");
        c.Reply.WriteBulk(c.Db.IncrByFloat(c.Args[1], increment));
    }

    private static void Set(CommandContext c)
    {
        var condition = SetCondition.Always;
        long? expireAt = null;
        bool keepTtl = false, get = false, haveExpiry = false;
        for (int i = 3; i < c.ArgCount; i++)
        {
            bool hasNext = i + 1 < c.ArgCount;
            if (c.Args.Is(i, "NX"u8) && condition != SetCondition.IfExists) condition = SetCondition.IfNotExists;
            else if (c.Args.Is(i, "XX"u8) && condition != SetCondition.IfNotExists) condition = SetCondition.IfExists;
            else if (c.Args.Is(i, "GET"u8)) get = true;
            else if (c.Args.Is(i, "KEEPTTL"u8) && !haveExpiry) keepTtl = true;
            else if (hasNext && !keepTtl && !haveExpiry && (c.Args.Is(i, "EX"u8) || c.Args.Is(i, "PX"u8) || c.Args.Is(i, "EXAT"u8) || c.Args.Is(i, "PXAT"u8)))
            {
                expireAt = ExpiryArgument(c, i, "set");
                haveExpiry = true;
                i++;
            }
            else throw CommandContext.Syntax();
        }
        var result = c.Db.Set(c.Args[1], c.Args[2], condition, expireAt, keepTtl, returnOld: get);
        if (get) c.Reply.WriteBulkOrNull(result.OldValue);
        else if (result.Written) c.Reply.WriteOk();
        else c.Reply.WriteNull();
    }

    /// <summary>EX/PX/EXAT/PXAT at <paramref name="i"/> with its value after it, as an absolute time in ms; Redis's errors for bad values.</summary>
    internal static long ExpiryArgument(CommandContext c, int i, string command)
    {
        long amount = c.Integer(i + 1);
        var invalid = new KvException($"ERR invalid expire time in '{command}' command");
        if (amount <= 0) throw invalid;
        bool seconds = c.Args.Is(i, "EX"u8) || c.Args.Is(i, "EXAT"u8);
        bool absolute = c.Args.Is(i, "EXAT"u8) || c.Args.Is(i, "PXAT"u8);
        try
        {
            long ms = seconds ? checked(amount * 1000) : amount;
            return absolute ? ms : checked(ms + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        catch (OverflowException)
        {
            throw invalid;
        }
    }

    private static void SetEx(CommandContext c, bool seconds)
    {
        long amount = c.Integer(2);
        string name = seconds ? "setex" : "psetex";
        if (amount <= 0) throw new KvException($"ERR invalid expire time in '{name}' command");
        long ms;
        try { ms = checked((seconds ? checked(amount * 1000) : amount) + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()); }
        catch (OverflowException) { throw new KvException($"ERR invalid expire time in '{name}' command"); }
        c.Db.Set(c.Args[1], c.Args[3], expireAtMs: ms);
        c.Reply.WriteOk();
    }

    private static void GetEx(CommandContext c)
    {
        long? expireAt = null;
        bool persist = false;
        for (int i = 2; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "PERSIST"u8) && expireAt == null && !persist) persist = true;
            else if (i + 1 < c.ArgCount && expireAt == null && !persist &&
                     (c.Args.Is(i, "EX"u8) || c.Args.Is(i, "PX"u8) || c.Args.Is(i, "EXAT"u8) || c.Args.Is(i, "PXAT"u8)))
            {
                expireAt = ExpiryArgument(c, i, "getex");
                i++;
            }
            else throw CommandContext.Syntax();
        }
        c.Reply.WriteBulkOrNull(c.Db.GetEx(c.Args[1], expireAt, persist));
    }

    private static void MGet(CommandContext c)
    {
        var values = c.Db.MGet(Enumerable.Range(1, c.ArgCount - 1).Select(c.Arg).ToList());
        c.Reply.WriteArrayHeader(values.Length);
        foreach (var v in values) c.Reply.WriteBulkOrNull(v);
    }

    private static bool MSet(CommandContext c, bool onlyIfNoneExist)
    {
        if ((c.ArgCount - 1) % 2 != 0) throw CommandContext.WrongArity(onlyIfNoneExist ? "msetnx" : "mset");
        var pairs = new List<(byte[], byte[])>();
        for (int i = 1; i < c.ArgCount; i += 2) pairs.Add((c.Arg(i), c.Arg(i + 1)));
        return c.Db.MSet(pairs, onlyIfNoneExist);
    }

    private static void GetRange(CommandContext c) => c.Reply.WriteBulk(c.Db.GetRange(c.Args[1], c.Integer(2), c.Integer(3)));

    private static void SetRange(CommandContext c)
    {
        long offset = c.Integer(2);
        if (offset < 0) throw new KvException("ERR offset is out of range");
        // Redis checks the size only for a non-empty value; compared without adding, as offset + length can overflow.
        if (c.Args[3].Length > 0 && offset > c.Server.Options.ProtoMaxBulkLen - c.Args[3].Length)
            throw new KvException("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        c.Reply.WriteInteger(c.Db.SetRange(c.Args[1], offset, c.Args[3]));
    }

    private static void DecrBy(CommandContext c)
    {
        long by = c.Integer(2);
        if (by == long.MinValue) throw new KvException("ERR decrement would overflow");
        c.Reply.WriteInteger(c.Db.IncrBy(c.Args[1], -by));
    }
}
