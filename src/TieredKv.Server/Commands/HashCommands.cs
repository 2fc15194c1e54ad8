using TieredKv.Keyspace;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>The hash commands (Redis's t_hash.c).</summary>
internal static class HashCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast, ReadFast = CommandFlags.ReadOnly | CommandFlags.Fast;
        t.Add(new("hset", -4, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HSet(c.Args[1], Pairs(c, "hset")))));
        t.Add(new("hmset", -4, WriteFast, 1, 1, 1, c => { c.Db.HSet(c.Args[1], Pairs(c, "hmset")); c.Reply.WriteOk(); }));
        t.Add(new("hsetnx", 4, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HSetNx(c.Args[1], c.Args[2], c.Args[3]) ? 1 : 0)));
        t.Add(new("hget", 3, ReadFast, 1, 1, 1, c => c.Reply.WriteBulkOrNull(c.Db.HGet(c.Args[1], c.Args[2]))));
        t.Add(new("hmget", -3, ReadFast, 1, 1, 1, HMGet));
        t.Add(new("hdel", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HDel(c.Args[1], c.ArgList(2)))));
        t.Add(new("hlen", 2, ReadFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HLen(c.Args[1]))));
        t.Add(new("hstrlen", 3, ReadFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HStrLen(c.Args[1], c.Args[2]))));
        t.Add(new("hexists", 3, ReadFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HExists(c.Args[1], c.Args[2]) ? 1 : 0)));
        t.Add(new("hkeys", 2, CommandFlags.ReadOnly, 1, 1, 1, c => c.Reply.WriteBulkArray(c.Db.HKeys(c.Args[1]))));
        t.Add(new("hvals", 2, CommandFlags.ReadOnly, 1, 1, 1, c => c.Reply.WriteBulkArray(c.Db.HVals(c.Args[1]))));
        t.Add(new("hgetall", 2, CommandFlags.ReadOnly, 1, 1, 1, HGetAll));
        t.Add(new("hincrby", 4, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.HIncrBy(c.Args[1], c.Args[2], c.Integer(3)))));
        t.Add(new("hincrbyfloat", 4, WriteFast, 1, 1, 1, HIncrByFloat));
        t.Add(new("hrandfield", -2, CommandFlags.ReadOnly, 1, 1, 1, HRandField));
        t.Add(new("hscan", -3, CommandFlags.ReadOnly, 1, 1, 1, HScan));
    }

    private static List<(byte[], byte[])> Pairs(CommandContext c, string name)
    {
        if ((c.ArgCount - 2) % 2 != 0) throw CommandContext.WrongArity(name);
        var pairs = new List<(byte[], byte[])>((c.ArgCount - 2) / 2);
        for (int i = 2; i < c.ArgCount; i += 2) pairs.Add((c.Arg(i), c.Arg(i + 1)));
        return pairs;
    }

    private static void HMGet(CommandContext c)
    {
        var values = c.Db.HMGet(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(values.Length);
        foreach (var v in values) c.Reply.WriteBulkOrNull(v);
    }

    private static void HGetAll(CommandContext c)
    {
        var entries = c.Db.HGetAll(c.Args[1]);
        c.Reply.WriteMapHeader(entries.Count);
        foreach (var (field, value) in entries)
        {
            c.Reply.WriteBulk(field);
            c.Reply.WriteBulk(value);
        }
    }

    private static void HIncrByFloat(CommandContext c)
    {
        // Parsed as the long double Redis adds in: 1e400 is a valid increment.
        if (!LongDouble.TryParse(c.Args[3], out var increment)) throw new KvException("ERR value is not a valid float");
        // Unlike INCRBYFLOAT, HINCRBYFLOAT refuses an infinite increment before looking at the key.
        if (increment.IsInfinity) throw new KvException("ERR value is NaN or Infinity");
        c.Reply.WriteBulk(c.Db.HIncrByFloat(c.Args[1], c.Args[2], increment));
    }

    private static void HRandField(CommandContext c)
    {
        if (c.ArgCount == 2)
        {
            c.Reply.WriteBulkOrNull(c.Db.HRandField(c.Args[1]));
            return;
        }
        bool withValues = false;
        if (c.ArgCount == 4 && c.Args.Is(3, "WITHVALUES"u8)) withValues = true;
        else if (c.ArgCount > 3) throw CommandContext.Syntax();
        long count = c.RandomCount(2, withValues);
        var picked = c.Db.HRandField(c.Args[1], count, withValues);
        WriteRandomPairs(c, picked.ConvertAll(p => (p.Field, p.Value)), withValues);
    }

    /// <summary>
    /// Random picks with or without their values: flat in RESP2; in RESP3 Redis 7.0 nests each
    /// pair as a two-element array.
    /// </summary>
    internal static void WriteRandomPairs(CommandContext c, List<(byte[] Item, byte[]? Value)> picked, bool withValues)
    {
        if (!withValues)
        {
            c.Reply.WriteArrayHeader(picked.Count);
            foreach (var (item, _) in picked) c.Reply.WriteBulk(item);
            return;
        }
        c.Reply.WriteArrayHeader(c.Reply.IsResp3 ? picked.Count : picked.Count * 2);
        foreach (var (item, value) in picked)
        {
            if (c.Reply.IsResp3) c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(item);
            c.Reply.WriteBulk(value!);
        }
    }

    private static void HScan(CommandContext c)
    {
        var scan = ScanArguments.Parse(c, 2);
        var (cursor, entries) = c.Db.HScan(c.Args[1], scan.Cursor, scan.Pattern, scan.Count);
        ScanArguments.WriteCursor(c, cursor);
        c.Reply.WriteArrayHeader(entries.Count * 2);
        foreach (var (field, value) in entries)
        {
            c.Reply.WriteBulk(field);
            c.Reply.WriteBulk(value);
        }
    }
}
