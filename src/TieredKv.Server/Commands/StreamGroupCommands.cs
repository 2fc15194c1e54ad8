using TieredKv.Keyspace;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The consumer-group commands (Redis's t_stream.c): XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM.</summary>
internal static class StreamGroupCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast;
        t.Add(new("xgroup", -2, CommandFlags.None, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("xgroup|create", -5, CommandFlags.Write, 2, 2, 1, XGroup),
                new CommandSpec("xgroup|setid", -5, CommandFlags.Write, 2, 2, 1, XGroup),
                new CommandSpec("xgroup|destroy", 4, CommandFlags.Write, 2, 2, 1, XGroup),
                new CommandSpec("xgroup|createconsumer", 5, CommandFlags.Write, 2, 2, 1, XGroup),
                new CommandSpec("xgroup|delconsumer", 5, CommandFlags.Write, 2, 2, 1, XGroup),
                new CommandSpec("xgroup|help", 2, CommandFlags.None, 0, 0, 0, XGroup)),
        });
        t.Add(new("xack", -4, WriteFast, 1, 1, 1, XAck));
        t.Add(new("xpending", -3, CommandFlags.ReadOnly, 1, 1, 1, XPending));
        t.Add(new("xclaim", -6, WriteFast, 1, 1, 1, XClaim));
        t.Add(new("xautoclaim", -6, WriteFast, 1, 1, 1, XAutoClaim));
    }

    private static readonly string[] XGroupHelp =
    [
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        "HELP",
        "    Prints this help.",
    ];

    internal static KvException SubcommandSyntax(CommandContext c) =>
        new($"ERR unknown subcommand or wrong number of arguments for '{c.Text(1)}'. Try {c.Text(0).ToUpperInvariant()} HELP.");

    /// <summary>XGROUP as Redis's xgroupCommand: options first, then the key and group checks, then the subcommand's own arity.</summary>
    private static void XGroup(CommandContext c)
    {
        bool create = c.Args.Is(1, "CREATE"u8), setId = c.Args.Is(1, "SETID"u8);
        if (c.ArgCount == 2 && c.Args.Is(1, "HELP"u8))
        {
            HelpText.Write(c, XGroupHelp);
            return;
        }
        bool mkStream = false;
        long entriesRead = StreamGroup.UnknownEntriesRead;
        for (int i = 5; i < c.ArgCount;)
        {
            if (create && c.Args.Is(i, "MKSTREAM"u8))
            {
                mkStream = true;
                i++;
            }
            else if ((create || setId) && c.Args.Is(i, "ENTRIESREAD"u8) && i + 1 < c.ArgCount)
            {
                entriesRead = c.Integer(i + 1);
                if (entriesRead < 0 && entriesRead != StreamGroup.UnknownEntriesRead)
                    throw new KvException("ERR value for ENTRIESREAD must be positive or -1");
                i += 2;
            }
            else throw SubcommandSyntax(c);
        }
        byte[] key = c.Arg(2), group = c.Arg(3);
        if (create && c.ArgCount <= 8)
        {
            var idText = c.Arg(4);
            c.Db.XGroupCreate(key, group, last => idText.AsSpan().SequenceEqual("$"u8) ? last : StreamIdArguments.Strict(idText, 0), mkStream, entriesRead);
            c.Reply.WriteOk();
        }
        else if (setId && c.ArgCount is 5 or 7)
        {
            var idText = c.Arg(4);
            c.Db.XGroupSetId(key, group, last => idText.AsSpan().SequenceEqual("$"u8) ? last : StreamIdArguments.Parse(idText, 0), entriesRead);
            c.Reply.WriteOk();
        }
        else if (c.Args.Is(1, "DESTROY"u8) && c.ArgCount == 4)
        {
            bool destroyed = c.Db.XGroupDestroy(key, group);
            // Readers blocked on the group learn it is gone, as Redis's signalKeyAsReady tells them.
            if (destroyed) c.Server.Blocked.Signal(c.Client.Database, key);
            c.ChangedNothing = !destroyed;
            c.Reply.WriteInteger(destroyed ? 1 : 0);
        }
        else if (c.Args.Is(1, "CREATECONSUMER"u8) && c.ArgCount == 5)
        {
            bool created = c.Db.XGroupCreateConsumer(key, group, c.Arg(4));
            c.ChangedNothing = !created;
            c.Reply.WriteInteger(created ? 1 : 0);
        }
        else if (c.Args.Is(1, "DELCONSUMER"u8) && c.ArgCount == 5)
        {
            c.Reply.WriteInteger(c.Db.XGroupDelConsumer(key, group, c.Arg(4)));
        }
        else
        {
            // Redis checks the key and group first, then finds no form of the subcommand that fits.
            c.Db.XGroupCheck(key, group, requireGroup: !create && !c.Args.Is(1, "DESTROY"u8), mkStream);
            throw SubcommandSyntax(c);
        }
    }

    private static void XAck(CommandContext c)
    {
        long acknowledged = c.Db.XAck(c.Args[1], c.Arg(2), () =>
        {
            var ids = new List<StreamId>(c.ArgCount - 3);
            for (int i = 3; i < c.ArgCount; i++) ids.Add(StreamIdArguments.Strict(c, i));
            return ids;
        });
        c.ChangedNothing = true; // as Redis, group state changes signal no modified key (WATCH stays valid)
        c.Reply.WriteInteger(acknowledged);
    }

    private static void XPending(CommandContext c)
    {
        if (c.ArgCount != 3 && (c.ArgCount < 6 || c.ArgCount > 9)) throw CommandContext.Syntax();
        if (c.ArgCount == 3)
        {
            var summary = c.Db.XPendingSummary(c.Args[1], c.Arg(2));
            c.Reply.WriteArrayHeader(4);
            c.Reply.WriteInteger(summary.Count);
            if (summary.Count == 0)
            {
                c.Reply.WriteNull();
                c.Reply.WriteNull();
                c.Reply.WriteNullArray();
                return;
            }
            c.Reply.WriteBulk(summary.First!.Value.ToString());
            c.Reply.WriteBulk(summary.Last!.Value.ToString());
            c.Reply.WriteArrayHeader(summary.Consumers.Count);
            foreach (var (name, owned) in summary.Consumers)
            {
                c.Reply.WriteArrayHeader(2);
                c.Reply.WriteBulk(name);
                c.Reply.WriteBulk(CommandContext.Format(owned));
            }
            return;
        }
        int at = 3;
        long minIdle = 0;
        if (c.Args.Is(3, "IDLE"u8))
        {
            minIdle = c.Integer(4);
            if (c.ArgCount < 8) throw CommandContext.Syntax();
            at += 2;
        }
        long count = Math.Max(0, c.Integer(at + 2));
        var (start, end) = StreamIdArguments.Range(c.Args[at], c.Args[at + 1]);
        byte[]? consumer = at + 3 < c.ArgCount ? c.Arg(at + 3) : null;
        var entries = c.Db.XPendingRange(c.Args[1], c.Arg(2), start, end, count, minIdle, consumer);
        c.Reply.WriteArrayHeader(entries.Count);
        foreach (var (entry, idle) in entries)
        {
            c.Reply.WriteArrayHeader(4);
            c.Reply.WriteBulk(entry.Id.ToString());
            c.Reply.WriteBulk(entry.Consumer);
            c.Reply.WriteInteger(idle);
            c.Reply.WriteInteger(entry.DeliveryCount);
        }
    }

    private static void XClaim(CommandContext c)
    {
        var claimed = c.Db.XClaim(c.Args[1], c.Arg(2), c.Arg(3), now => ParseClaim(c, now));
        c.ChangedNothing = true; // no modified key, as Redis
        bool justId = false;
        for (int i = 5; i < c.ArgCount; i++) justId |= c.Args.Is(i, "JUSTID"u8);
        WriteClaimed(c, claimed, justId);
    }

    /// <summary>XCLAIM's arguments after the key and group are found: min-idle-time, the IDs up to the first that does not parse, then options.</summary>
    private static StreamClaimRequest ParseClaim(CommandContext c, long now)
    {
        long minIdle = Math.Max(0, c.Integer(4, "ERR Invalid min-idle-time argument for XCLAIM"));
        var ids = new List<StreamId>();
        int j = 5;
        for (; j < c.ArgCount; j++)
        {
            var text = c.Args[j];
            if ((text.Length == 1 && text[0] is (byte)'-' or (byte)'+') || text.Length > 127 || !StreamId.TryParse(text, 0, out var id)) break;
            ids.Add(id);
        }
        long deliveryTime = -1, retryCount = -1;
        bool force = false, justId = false;
        var lastId = StreamId.Min;
        for (; j < c.ArgCount; j++)
        {
            int more = c.ArgCount - 1 - j;
            if (c.Args.Is(j, "FORCE"u8)) force = true;
            else if (c.Args.Is(j, "JUSTID"u8)) justId = true;
            else if (c.Args.Is(j, "IDLE"u8) && more > 0) deliveryTime = now - c.Integer(++j, "ERR Invalid IDLE option argument for XCLAIM");
            else if (c.Args.Is(j, "TIME"u8) && more > 0) deliveryTime = c.Integer(++j, "ERR Invalid TIME option argument for XCLAIM");
            else if (c.Args.Is(j, "RETRYCOUNT"u8) && more > 0) retryCount = c.Integer(++j, "ERR Invalid RETRYCOUNT option argument for XCLAIM");
            else if (c.Args.Is(j, "LASTID"u8) && more > 0) lastId = StreamIdArguments.Strict(c, ++j);
            else throw new KvException($"ERR Unrecognized XCLAIM option '{c.Text(j)}'");
        }
        return new StreamClaimRequest(minIdle, ids, deliveryTime, retryCount, force, justId, lastId);
    }

    private static void WriteClaimed(CommandContext c, List<(StreamId Id, IReadOnlyList<byte[]>? Fields)> claimed, bool justId)
    {
        if (!justId)
        {
            StreamReadCommands.WriteDeliveries(c, claimed);
            return;
        }
        c.Reply.WriteArrayHeader(claimed.Count);
        foreach (var (id, _) in claimed) c.Reply.WriteBulk(id.ToString());
    }

    private static void XAutoClaim(CommandContext c)
    {
        long minIdle = Math.Max(0, c.Integer(4, "ERR Invalid min-idle-time argument for XAUTOCLAIM"));
        var start = StreamIdArguments.Interval(c.Args[5], 0, out bool exclusive);
        if (exclusive) start = start.Successor() ?? throw new KvException("ERR invalid start ID for the interval");
        long count = 100;
        bool justId = false;
        for (int j = 6; j < c.ArgCount; j++)
        {
            int more = c.ArgCount - 1 - j;
            if (c.Args.Is(j, "COUNT"u8) && more > 0)
            {
                const long MaxCount = long.MaxValue / 16;
                if (!Numbers.RedisNumbers.TryParseInteger(c.Args[++j], out count) || count < 1 || count > MaxCount)
                    throw new KvException("ERR COUNT must be > 0");
            }
            else if (c.Args.Is(j, "JUSTID"u8)) justId = true;
            else throw CommandContext.Syntax();
        }
        var (next, claimed, deleted) = c.Db.XAutoClaim(c.Args[1], c.Arg(2), c.Arg(3), minIdle, start, count, justId);
        c.ChangedNothing = true; // no modified key, as Redis
        c.Reply.WriteArrayHeader(3);
        c.Reply.WriteBulk(next.ToString());
        WriteClaimed(c, claimed, justId);
        c.Reply.WriteArrayHeader(deleted.Count);
        foreach (var id in deleted) c.Reply.WriteBulk(id.ToString());
    }
}
