using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The list commands (Redis's t_list.c), without the blocking ones.</summary>
internal static class ListCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast;
        t.Add(new("lpush", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.LPush(c.Args[1], c.ArgList(2)))));
        t.Add(new("rpush", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.RPush(c.Args[1], c.ArgList(2)))));
        t.Add(new("lpushx", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.LPushX(c.Args[1], c.ArgList(2)))));
        t.Add(new("rpushx", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.RPushX(c.Args[1], c.ArgList(2)))));
        t.Add(new("lpop", -2, WriteFast, 1, 1, 1, c => Pop(c, left: true)));
        t.Add(new("rpop", -2, WriteFast, 1, 1, 1, c => Pop(c, left: false)));
        t.Add(new("llen", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.LLen(c.Args[1]))));
        t.Add(new("lindex", 3, CommandFlags.ReadOnly, 1, 1, 1, c => c.Reply.WriteBulkOrNull(c.Db.LIndex(c.Args[1], c.Integer(2)))));
        t.Add(new("lrange", 4, CommandFlags.ReadOnly, 1, 1, 1, c => c.Reply.WriteBulkArray(c.Db.LRange(c.Args[1], c.Integer(2), c.Integer(3)))));
        t.Add(new("lset", 4, CommandFlags.Write, 1, 1, 1, c => { c.Db.LSet(c.Args[1], c.Integer(2), c.Arg(3)); c.Reply.WriteOk(); }));
        t.Add(new("linsert", 5, CommandFlags.Write, 1, 1, 1, LInsert));
        t.Add(new("lrem", 4, CommandFlags.Write, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.LRem(c.Args[1], c.Integer(2), c.Args[3]))));
        t.Add(new("ltrim", 4, CommandFlags.Write, 1, 1, 1, c => { c.Db.LTrim(c.Args[1], c.Integer(2), c.Integer(3)); c.Reply.WriteOk(); }));
        t.Add(new("lpos", -3, CommandFlags.ReadOnly, 1, 1, 1, LPos));
        t.Add(new("lmove", 5, CommandFlags.Write, 1, 2, 1, LMove));
        t.Add(new("rpoplpush", 3, CommandFlags.Write, 1, 2, 1, c => c.Reply.WriteBulkOrNull(c.Db.LMove(c.Arg(1), c.Arg(2), fromLeft: false, toLeft: true))));
        t.Add(new("lmpop", -4, CommandFlags.Write, 0, 0, 0, LMPop));
    }

    private static void Pop(CommandContext c, bool left)
    {
        string name = left ? "lpop" : "rpop";
        if (c.ArgCount > 3) throw CommandContext.WrongArity(name);
        if (c.ArgCount == 2)
        {
            c.Reply.WriteBulkOrNull(left ? c.Db.LPop(c.Args[1]) : c.Db.RPop(c.Args[1]));
            return;
        }
        long count = c.Integer(2, "ERR value is out of range, must be positive");
        if (count < 0) throw new KvException("ERR value is out of range, must be positive");
        var popped = left ? c.Db.LPop(c.Args[1], count) : c.Db.RPop(c.Args[1], count);
        // With a count, a missing key is a null array, not a null string.
        if (popped == null) c.Reply.WriteNullArray();
        else c.Reply.WriteBulkArray(popped);
    }

    private static void LInsert(CommandContext c)
    {
        bool before;
        if (c.Args.Is(2, "BEFORE"u8)) before = true;
        else if (c.Args.Is(2, "AFTER"u8)) before = false;
        else throw CommandContext.Syntax();
        c.Reply.WriteInteger(c.Db.LInsert(c.Args[1], before, c.Args[3], c.Arg(4)));
    }

    private static void LPos(CommandContext c)
    {
        long rank = 1, maxLen = 0;
        long? count = null;
        for (int i = 3; i < c.ArgCount; i++)
        {
            if (i + 1 >= c.ArgCount) throw CommandContext.Syntax();
            if (c.Args.Is(i, "RANK"u8))
            {
                rank = c.Integer(++i);
                // Redis 7.0 negates the rank to count from the tail; LONG_MIN stays negative, so every
                // match passes its "matches >= rank" test: the same as -1.
                if (rank == long.MinValue) rank = -1;
                if (rank == 0)
                    throw new KvException("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
            }
            else if (c.Args.Is(i, "COUNT"u8))
            {
                long n = c.Integer(++i, "ERR COUNT can't be negative");
                if (n < 0) throw new KvException("ERR COUNT can't be negative");
                count = n;
            }
            else if (c.Args.Is(i, "MAXLEN"u8))
            {
                maxLen = c.Integer(++i, "ERR MAXLEN can't be negative");
                if (maxLen < 0) throw new KvException("ERR MAXLEN can't be negative");
            }
            else throw CommandContext.Syntax();
        }
        var found = c.Db.LPos(c.Args[1], c.Args[2], rank, count, maxLen);
        if (count == null)
        {
            if (found.Count == 0) c.Reply.WriteNull();
            else c.Reply.WriteInteger(found[0]);
            return;
        }
        c.Reply.WriteArrayHeader(found.Count);
        foreach (long index in found) c.Reply.WriteInteger(index);
    }

    /// <summary>LEFT or RIGHT at <paramref name="index"/>; true for LEFT.</summary>
    internal static bool End(CommandContext c, int index)
    {
        if (c.Args.Is(index, "LEFT"u8)) return true;
        if (c.Args.Is(index, "RIGHT"u8)) return false;
        throw CommandContext.Syntax();
    }

    private static void LMove(CommandContext c)
    {
        bool fromLeft = End(c, 3), toLeft = End(c, 4);
        c.Reply.WriteBulkOrNull(c.Db.LMove(c.Arg(1), c.Arg(2), fromLeft, toLeft));
    }

    private static void LMPop(CommandContext c)
    {
        int numKeys = c.NumKeys(1);
        long whereIndex = 2L + numKeys;
        if (whereIndex >= c.ArgCount) throw CommandContext.Syntax();
        bool left = End(c, (int)whereIndex);
        long count = -1;
        for (int i = (int)whereIndex + 1; i < c.ArgCount; i++)
        {
            if (count == -1 && c.Args.Is(i, "COUNT"u8) && i + 1 < c.ArgCount)
            {
                count = c.Integer(++i, "ERR count should be greater than 0");
                if (count < 1) throw new KvException("ERR count should be greater than 0");
            }
            else throw CommandContext.Syntax();
        }
        if (count == -1) count = 1;
        // The first non-empty list in key order wins; a wrong-typed key before it is an error, as in Redis.
        for (int k = 2; k < whereIndex; k++)
        {
            var popped = left ? c.Db.LPop(c.Args[k], count) : c.Db.RPop(c.Args[k], count);
            if (popped == null || popped.Count == 0) continue;
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(c.Args[k]);
            c.Reply.WriteBulkArray(popped);
            return;
        }
        c.Reply.WriteNullArray();
    }
}
