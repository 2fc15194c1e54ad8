using TieredKv.Keyspace;
using TieredKv.Server.Blocking;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>
/// BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP. A command that finds
/// all its keys empty leaves a <see cref="BlockRequest"/> on the client instead of a reply; the
/// connection then waits without a thread and runs it again when a key is written or the timeout passes.
/// </summary>
internal static class BlockingCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags Write = CommandFlags.Write;
        t.Add(new("blpop", -3, Write, 1, -2, 1, c => BPop(c, left: true)));
        t.Add(new("brpop", -3, Write, 1, -2, 1, c => BPop(c, left: false)));
        t.Add(new("brpoplpush", 4, Write, 1, 2, 1, c => BMove(c, fromLeft: false, toLeft: true, timeoutIndex: 3)));
        t.Add(new("blmove", 6, Write, 1, 2, 1, c => BMove(c, ListCommands.End(c, 3), ListCommands.End(c, 4), timeoutIndex: 5)));
        t.Add(new("blmpop", -5, Write, 0, 0, 0, c => BMPop(c, zset: false)));
        // Redis flags BZPOPMIN/BZPOPMAX (unlike BLPOP) fast: their latency counts as fast-command.
        t.Add(new("bzpopmin", -3, Write | CommandFlags.Fast, 1, -2, 1, c => BZPop(c, max: false)));
        t.Add(new("bzpopmax", -3, Write | CommandFlags.Fast, 1, -2, 1, c => BZPop(c, max: true)));
        t.Add(new("bzmpop", -5, Write, 0, 0, 0, c => BMPop(c, zset: true)));
    }

    /// <summary>Redis's getTimeoutFromObjectOrReply: seconds as a float, rounded up to milliseconds; 0 waits forever.</summary>
    internal static long TimeoutMilliseconds(CommandContext c, int index)
    {
        if (!RedisNumbers.TryParseStrtod(c.Args[index], out double seconds, out _))
            throw new KvException("ERR timeout is not a float or out of range");
        double ms = seconds * 1000.0;
        // Redis 7.0 casts to long long without a range check: too large (or inf) becomes negative.
        if (ms >= long.MaxValue) throw new KvException("ERR timeout is negative");
        ms = Math.Ceiling(ms);
        if (ms < 0) throw new KvException("ERR timeout is negative");
        return (long)ms;
    }

    private static void BPop(CommandContext c, bool left)
    {
        long generation = c.Server.Blocked.Generation;
        long timeout = TimeoutMilliseconds(c, c.ArgCount - 1);
        var keys = new List<byte[]>(c.ArgCount - 2);
        for (int k = 1; k < c.ArgCount - 1; k++)
        {
            byte[]? value = left ? c.Db.LPop(c.Args[k]) : c.Db.RPop(c.Args[k]);
            if (value == null)
            {
                keys.Add(c.Arg(k));
                continue;
            }
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(c.Args[k]);
            c.Reply.WriteBulk(value);
            return;
        }
        NothingYet(c, keys, timeout, generation, nullArrayInMulti: true);
    }

    private static void BMove(CommandContext c, bool fromLeft, bool toLeft, int timeoutIndex)
    {
        long generation = c.Server.Blocked.Generation;
        long timeout = TimeoutMilliseconds(c, timeoutIndex);
        byte[] source = c.Arg(1);
        byte[]? moved = c.Db.LMove(source, c.Arg(2), fromLeft, toLeft);
        if (moved != null)
        {
            c.Reply.WriteBulk(moved);
            return;
        }
        // Inside a transaction the non-blocking form's null string, but a timeout's null array, as Redis 7.0.
        NothingYet(c, [source], timeout, generation, nullArrayInMulti: false);
    }

    private static void BZPop(CommandContext c, bool max)
    {
        long generation = c.Server.Blocked.Generation;
        long timeout = TimeoutMilliseconds(c, c.ArgCount - 1);
        var keys = new List<byte[]>(c.ArgCount - 2);
        for (int k = 1; k < c.ArgCount - 1; k++)
        {
            var popped = max ? c.Db.ZPopMax(c.Args[k], 1) : c.Db.ZPopMin(c.Args[k], 1);
            if (popped.Count == 0)
            {
                keys.Add(c.Arg(k));
                continue;
            }
            c.Reply.WriteArrayHeader(3);
            c.Reply.WriteBulk(c.Args[k]);
            c.Reply.WriteBulk(popped[0].Member);
            c.Reply.WriteDouble(popped[0].Score);
            return;
        }
        NothingYet(c, keys, timeout, generation, nullArrayInMulti: true);
    }

    /// <summary>BLMPOP and BZMPOP: timeout, numkeys, keys, LEFT|RIGHT or MIN|MAX, optional COUNT.</summary>
    private static void BMPop(CommandContext c, bool zset)
    {
        long generation = c.Server.Blocked.Generation;
        long timeout = TimeoutMilliseconds(c, 1);
        int numKeys = c.NumKeys(2);
        long whereIndex = 3L + numKeys;
        if (whereIndex >= c.ArgCount) throw CommandContext.Syntax();
        bool first;
        if (zset)
        {
            if (c.Args.Is((int)whereIndex, "MIN"u8)) first = true;
            else if (c.Args.Is((int)whereIndex, "MAX"u8)) first = false;
            else throw CommandContext.Syntax();
        }
        else first = ListCommands.End(c, (int)whereIndex);
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
        var keys = new List<byte[]>(numKeys);
        for (int k = 3; k < whereIndex; k++)
        {
            if (zset)
            {
                var popped = first ? c.Db.ZPopMin(c.Args[k], count) : c.Db.ZPopMax(c.Args[k], count);
                if (popped.Count > 0)
                {
                    c.Reply.WriteArrayHeader(2);
                    c.Reply.WriteBulk(c.Args[k]);
                    SortedSetCommands.WriteMembers(c, popped, withScores: true, nested: true);
                    Served(c, k);
                    return;
                }
            }
            else
            {
                var popped = first ? c.Db.LPop(c.Args[k], count) : c.Db.RPop(c.Args[k], count);
                if (popped != null && popped.Count > 0)
                {
                    c.Reply.WriteArrayHeader(2);
                    c.Reply.WriteBulk(c.Args[k]);
                    c.Reply.WriteBulkArray(popped);
                    Served(c, k);
                    return;
                }
            }
            keys.Add(c.Arg(k));
        }
        NothingYet(c, keys, timeout, generation, nullArrayInMulti: true);
    }

    /// <summary>
    /// BLMPOP and BZMPOP name no key positions in their spec, so the dispatcher cannot pass the wake-up
    /// on: the next client waiting on the key may find what this one left.
    /// </summary>
    private static void Served(CommandContext c, int keyIndex)
    {
        c.Server.Watches.Touch(c.Client.Database, c.Args[keyIndex]);
        c.Server.Blocked.Signal(c.Client.Database, c.Args[keyIndex]);
    }

    /// <summary>
    /// All keys empty: inside a transaction answer as the non-blocking form; after the deadline the
    /// timeout's null array; otherwise leave a request to block on the keys.
    /// </summary>
    private static void NothingYet(CommandContext c, List<byte[]> keys, long timeout, long generation, bool nullArrayInMulti)
    {
        var client = c.Client;
        if (client.Transaction.InMulti || client.Transaction.InExec)
        {
            if (nullArrayInMulti) c.Reply.WriteNullArray();
            else c.Reply.WriteNull();
            return;
        }
        long now = Environment.TickCount64;
        client.BlockDeadline ??= timeout == 0 ? 0 : now + timeout;
        if (client.BlockDeadline != 0 && now >= client.BlockDeadline)
        {
            c.Reply.WriteNullArray();
            return;
        }
        client.PendingBlock = new BlockRequest(client.Database, keys, generation);
    }
}
