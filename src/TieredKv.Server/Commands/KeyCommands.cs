using TieredKv.Keyspace;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The generic key commands: DEL … RANDOMKEY.</summary>
internal static class KeyCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("del", -2, CommandFlags.Write, 1, -1, 1, Del));
        t.Add(new("unlink", -2, CommandFlags.Write | CommandFlags.Fast, 1, -1, 1, Del));
        t.Add(new("exists", -2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, -1, 1, Exists));
        t.Add(new("touch", -2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, -1, 1, c => c.Reply.WriteInteger(c.Db.Touch(Enumerable.Range(1, c.ArgCount - 1).Select(c.Arg)))));
        t.Add(new("type", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteSimpleString(KeyTypeNames.Name(c.Db.Type(c.Args[1])))));
        t.Add(new("rename", 3, CommandFlags.Write, 1, 2, 1, c => { c.Db.Rename(c.Arg(1), c.Arg(2)); c.Reply.WriteOk(); }));
        t.Add(new("renamenx", 3, CommandFlags.Write | CommandFlags.Fast, 1, 2, 1, c => c.Reply.WriteInteger(c.Db.Rename(c.Arg(1), c.Arg(2), onlyIfAbsent: true) ? 1 : 0)));
        t.Add(new("copy", -3, CommandFlags.Write, 1, 2, 1, Copy));
        t.Add(new("move", 3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, Move));
        t.Add(new("expire", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => Expire(c, seconds: true, absolute: false)));
        t.Add(new("pexpire", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => Expire(c, seconds: false, absolute: false)));
        t.Add(new("expireat", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => Expire(c, seconds: true, absolute: true)));
        t.Add(new("pexpireat", -3, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => Expire(c, seconds: false, absolute: true)));
        t.Add(new("ttl", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(Seconds(c.Db.PTtl(c.Args[1])))));
        t.Add(new("pttl", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.PTtl(c.Args[1]))));
        t.Add(new("expiretime", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => { long t = c.Db.PExpireTime(c.Args[1]); c.Reply.WriteInteger(t < 0 ? t : t / 1000); }));
        t.Add(new("pexpiretime", 2, CommandFlags.ReadOnly | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.PExpireTime(c.Args[1]))));
        t.Add(new("persist", 2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.Persist(c.Args[1]) ? 1 : 0)));
        t.Add(new("keys", 2, CommandFlags.ReadOnly, 0, 0, 0, Keys));
        t.Add(new("scan", -2, CommandFlags.ReadOnly, 0, 0, 0, Scan));
        t.Add(new("randomkey", 1, CommandFlags.ReadOnly, 0, 0, 0, c => c.Reply.WriteBulkOrNull(c.Db.RandomKey())));
    }

    /// <summary>TTL rounds the remaining milliseconds to the nearest second, as Redis does.</summary>
    private static long Seconds(long ms) => ms < 0 ? ms : (ms + 500) / 1000;

    private static void Del(CommandContext c) =>
        c.Reply.WriteInteger(c.Db.Delete(Enumerable.Range(1, c.ArgCount - 1).Select(c.Arg).ToArray()));

    private static void Exists(CommandContext c) =>
        c.Reply.WriteInteger(c.Db.Exists(Enumerable.Range(1, c.ArgCount - 1).Select(c.Arg).ToList()));

    private static void Copy(CommandContext c)
    {
        KvDatabase? target = null;
        int targetIndex = c.Client.Database;
        bool replace = false;
        for (int i = 3; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "REPLACE"u8)) replace = true;
            else if (c.Args.Is(i, "DB"u8) && i + 1 < c.ArgCount)
            {
                long db = c.Integer(++i);
                if (db < 0 || db >= c.Server.Store.DatabaseCount) throw new KvException("ERR DB index is out of range");
                target = c.Server.Store[(int)db];
                targetIndex = (int)db;
            }
            else throw CommandContext.Syntax();
        }
        bool copied = c.Db.Copy(c.Arg(1), c.Arg(2), target, replace);
        // The dispatcher invalidates WATCHes in the client's database only; the destination may be another one.
        if (copied) c.Server.Watches.Touch(targetIndex, c.Args[2]);
        c.Reply.WriteInteger(copied ? 1 : 0);
    }

    private static void Move(CommandContext c)
    {
        long db = c.Integer(2);
        if (db < 0 || db >= c.Server.Store.DatabaseCount) throw new KvException("ERR DB index is out of range");
        if (db == c.Client.Database) throw new KvException("ERR source and destination objects are the same");
        bool moved = c.Db.Move(c.Arg(1), c.Server.Store[(int)db]);
        // The key appears in another database: invalidate WATCHes there too (the dispatcher covers the source).
        if (moved) c.Server.Watches.Touch((int)db, c.Args[1]);
        c.Reply.WriteInteger(moved ? 1 : 0);
    }

    private static void Expire(CommandContext c, bool seconds, bool absolute)
    {
        long amount = c.Integer(2);
        var condition = ExpireCondition.Always;
        bool nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "NX"u8)) nx = true;
            else if (c.Args.Is(i, "XX"u8)) xx = true;
            else if (c.Args.Is(i, "GT"u8)) gt = true;
            else if (c.Args.Is(i, "LT"u8)) lt = true;
            else throw new KvException($"ERR Unsupported option {c.Text(i)}");
        }
        if (nx && (xx || gt || lt)) throw new KvException("ERR NX and XX, GT or LT options at the same time are not compatible");
        if (gt && lt) throw new KvException("ERR GT and LT options at the same time are not compatible");
        condition = nx ? ExpireCondition.Nx : xx ? ExpireCondition.Xx : gt ? ExpireCondition.Gt : lt ? ExpireCondition.Lt : ExpireCondition.Always;
        if (xx && gt) condition = ExpireCondition.Gt; // GT implies an existing TTL
        long ms;
        try
        {
            ms = seconds ? checked(amount * 1000) : amount;
            if (!absolute) ms = checked(ms + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
        catch (OverflowException)
        {
            throw new KvException($"ERR invalid expire time in '{c.Text(0).ToLowerInvariant()}' command");
        }
        c.Reply.WriteInteger(c.Db.ExpireAt(c.Args[1], ms, condition) ? 1 : 0);
    }

    private static void Keys(CommandContext c)
    {
        var keys = c.Db.Keys(c.Args[1]);
        c.Reply.WriteArrayHeader(keys.Count);
        foreach (var k in keys) c.Reply.WriteBulk(k);
    }

    private static void Scan(CommandContext c)
    {
        var scan = ScanArguments.Parse(c, 1, allowType: true);
        var page = scan.MatchesNothing ? new ScanPage(0, []) : c.Db.Scan(scan.Cursor, scan.Pattern, scan.Count, scan.Type);
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulk(CommandContext.Format((long)page.Cursor));
        c.Reply.WriteArrayHeader(page.Keys.Count);
        foreach (var k in page.Keys) c.Reply.WriteBulk(k);
    }
}
