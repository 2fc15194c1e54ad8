using TieredKv.Keyspace;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>The set commands (Redis's t_set.c).</summary>
internal static class SetCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast, ReadFast = CommandFlags.ReadOnly | CommandFlags.Fast;
        t.Add(new("sadd", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.SAdd(c.Args[1], c.ArgList(2)))));
        t.Add(new("srem", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.SRem(c.Args[1], c.ArgList(2)))));
        t.Add(new("scard", 2, ReadFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.SCard(c.Args[1]))));
        t.Add(new("sismember", 3, ReadFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.SIsMember(c.Args[1], c.Args[2]) ? 1 : 0)));
        t.Add(new("smismember", -3, ReadFast, 1, 1, 1, SMIsMember));
        t.Add(new("smembers", 2, CommandFlags.ReadOnly, 1, 1, 1, c => WriteSet(c, c.Db.SMembers(c.Args[1]))));
        t.Add(new("srandmember", -2, CommandFlags.ReadOnly, 1, 1, 1, SRandMember));
        t.Add(new("spop", -2, WriteFast, 1, 1, 1, SPop));
        t.Add(new("smove", 4, WriteFast, 1, 2, 1, c => c.Reply.WriteInteger(c.Db.SMove(c.Arg(1), c.Arg(2), c.Arg(3)) ? 1 : 0)));
        t.Add(new("sinter", -2, CommandFlags.ReadOnly, 1, -1, 1, c => WriteSet(c, c.Db.SInter(c.ArgList(1)))));
        t.Add(new("sintercard", -3, CommandFlags.ReadOnly, 0, 0, 0, SInterCard));
        t.Add(new("sinterstore", -3, CommandFlags.Write, 1, -1, 1, c => c.Reply.WriteInteger(c.Db.SInterStore(c.Arg(1), c.ArgList(2)))));
        t.Add(new("sunion", -2, CommandFlags.ReadOnly, 1, -1, 1, c => WriteSet(c, c.Db.SUnion(c.ArgList(1)))));
        t.Add(new("sunionstore", -3, CommandFlags.Write, 1, -1, 1, c => c.Reply.WriteInteger(c.Db.SUnionStore(c.Arg(1), c.ArgList(2)))));
        t.Add(new("sdiff", -2, CommandFlags.ReadOnly, 1, -1, 1, c => WriteSet(c, c.Db.SDiff(c.ArgList(1)))));
        t.Add(new("sdiffstore", -3, CommandFlags.Write, 1, -1, 1, c => c.Reply.WriteInteger(c.Db.SDiffStore(c.Arg(1), c.ArgList(2)))));
        t.Add(new("sscan", -3, CommandFlags.ReadOnly, 1, 1, 1, SScan));
    }

    /// <summary>Redis keeps a set as an intset (sorted by value) while it holds at most this many integers.</summary>
    private const int IntsetMaxEntries = 512;

    /// <summary>
    /// A set reply (<c>~</c> in RESP3) of bulk strings. A small all-integer set goes out in numeric
    /// order, as Redis's intset lists it; any other order is Redis's hash order, which nobody can match.
    /// </summary>
    private static void WriteSet(CommandContext c, List<byte[]> members)
    {
        if (members.Count > 1 && members.Count <= IntsetMaxEntries)
        {
            var values = new long[members.Count];
            bool allIntegers = true;
            for (int i = 0; i < values.Length && allIntegers; i++)
                allIntegers = RedisNumbers.TryParseInteger(members[i], out values[i]);
            if (allIntegers)
            {
                var sorted = members.ToArray();
                Array.Sort(values, sorted);
                members = [.. sorted];
            }
        }
        c.Reply.WriteSetHeader(members.Count);
        foreach (var m in members) c.Reply.WriteBulk(m);
    }

    private static void SMIsMember(CommandContext c)
    {
        var found = c.Db.SMIsMember(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(found.Length);
        foreach (bool f in found) c.Reply.WriteInteger(f ? 1 : 0);
    }

    private static void SRandMember(CommandContext c)
    {
        if (c.ArgCount > 3) throw CommandContext.Syntax();
        if (c.ArgCount == 2)
        {
            c.Reply.WriteBulkOrNull(c.Db.SRandMember(c.Args[1]));
            return;
        }
        long count = c.RandomCount(2, withValues: false);
        c.Reply.WriteBulkArray(c.Db.SRandMember(c.Args[1], count));
    }

    private static void SPop(CommandContext c)
    {
        if (c.ArgCount > 3) throw CommandContext.Syntax();
        if (c.ArgCount == 2)
        {
            c.Reply.WriteBulkOrNull(c.Db.SPop(c.Args[1]));
            return;
        }
        long count = c.Integer(2, "ERR value is out of range, must be positive");
        if (count < 0) throw new KvException("ERR value is out of range, must be positive");
        WriteSet(c, c.Db.SPop(c.Args[1], count));
    }

    private static void SInterCard(CommandContext c)
    {
        int numKeys = c.NumKeys(1);
        if (numKeys > c.ArgCount - 2) throw new KvException("ERR Number of keys can't be greater than number of args");
        long limit = 0;
        for (int i = 2 + numKeys; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "LIMIT"u8) && i + 1 < c.ArgCount)
            {
                limit = c.Integer(++i, "ERR LIMIT can't be negative");
                if (limit < 0) throw new KvException("ERR LIMIT can't be negative");
            }
            else throw CommandContext.Syntax();
        }
        var keys = new List<byte[]>(numKeys);
        for (int i = 2; i < 2 + numKeys; i++) keys.Add(c.Arg(i));
        c.Reply.WriteInteger(c.Db.SInterCard(keys, limit));
    }

    private static void SScan(CommandContext c)
    {
        var scan = ScanArguments.Parse(c, 2);
        var (cursor, members) = c.Db.SScan(c.Args[1], scan.Cursor, scan.Pattern, scan.Count);
        ScanArguments.WriteCursor(c, cursor);
        c.Reply.WriteBulkArray(members);
    }
}
