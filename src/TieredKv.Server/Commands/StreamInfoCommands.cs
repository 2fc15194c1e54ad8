using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, with Redis 7.0's fields in its order.</summary>
internal static class StreamInfoCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("xinfo", -2, CommandFlags.None, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("xinfo|consumers", 4, CommandFlags.ReadOnly, 2, 2, 1, Consumers),
                new CommandSpec("xinfo|groups", 3, CommandFlags.ReadOnly, 2, 2, 1, Groups),
                new CommandSpec("xinfo|stream", -3, CommandFlags.ReadOnly, 2, 2, 1, Stream),
                new CommandSpec("xinfo|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, XInfoHelp))),
        });
    }

    private static readonly string[] XInfoHelp =
    [
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
        "HELP",
        "    Prints this help.",
    ];

    private static void Consumers(CommandContext c)
    {
        var consumers = c.Db.XInfoConsumers(c.Args[2], c.Arg(3));
        c.Reply.WriteArrayHeader(consumers.Count);
        foreach (var (consumer, idle) in consumers)
        {
            c.Reply.WriteMapHeader(3);
            c.Reply.WriteBulk("name"u8);
            c.Reply.WriteBulk(consumer.Name);
            c.Reply.WriteBulk("pending"u8);
            c.Reply.WriteInteger(consumer.PendingCount);
            c.Reply.WriteBulk("idle"u8);
            c.Reply.WriteInteger(idle);
        }
    }

    private static void Groups(CommandContext c)
    {
        var groups = c.Db.XInfoGroups(c.Args[2]);
        c.Reply.WriteArrayHeader(groups.Count);
        foreach (var (group, lag) in groups)
        {
            c.Reply.WriteMapHeader(6);
            c.Reply.WriteBulk("name"u8);
            c.Reply.WriteBulk(group.Name);
            c.Reply.WriteBulk("consumers"u8);
            c.Reply.WriteInteger(group.ConsumerCount);
            c.Reply.WriteBulk("pending"u8);
            c.Reply.WriteInteger(group.PendingCount);
            c.Reply.WriteBulk("last-delivered-id"u8);
            c.Reply.WriteBulk(group.LastDeliveredId.ToString());
            WriteCounters(c, group, lag);
        }
    }

    private static void WriteCounters(CommandContext c, StreamGroup group, long? lag)
    {
        c.Reply.WriteBulk("entries-read"u8);
        if (group.EntriesRead == StreamGroup.UnknownEntriesRead) c.Reply.WriteNull();
        else c.Reply.WriteInteger(group.EntriesRead);
        c.Reply.WriteBulk("lag"u8);
        if (lag is { } known) c.Reply.WriteInteger(known);
        else c.Reply.WriteNull();
    }

    private static void Stream(CommandContext c)
    {
        int options = c.ArgCount - 3;
        bool full = options > 0;
        long count = 10;
        KvException? invalid = null;
        if (full)
        {
            if ((options != 1 && options != 3) || !c.Args.Is(3, "FULL"u8) || (options == 3 && !c.Args.Is(4, "COUNT"u8)))
                invalid = StreamGroupCommands.SubcommandSyntax(c);
            else if (options == 3)
            {
                if (!Numbers.RedisNumbers.TryParseInteger(c.Args[5], out count)) invalid = new KvException("ERR value is not an integer or out of range");
                else if (count < 0) count = 10;
            }
        }
        if (invalid != null)
        {
            // Redis looks the key up (no such key, WRONGTYPE) before it reads the options.
            c.Db.XInfoStream(c.Args[2]);
            throw invalid;
        }
        if (!full)
        {
            var info = c.Db.XInfoStream(c.Args[2]);
            c.Reply.WriteMapHeader(10);
            WriteState(c, info.Length, info.Nodes, info.State);
            c.Reply.WriteBulk("groups"u8);
            c.Reply.WriteInteger(info.State.GroupCount);
            c.Reply.WriteBulk("first-entry"u8);
            WriteEntryOrNull(c, info.First);
            c.Reply.WriteBulk("last-entry"u8);
            WriteEntryOrNull(c, info.Last);
            return;
        }
        var detail = c.Db.XInfoStreamFull(c.Args[2], count);
        c.Reply.WriteMapHeader(9);
        WriteState(c, detail.Length, detail.Nodes, detail.State);
        c.Reply.WriteBulk("entries"u8);
        StreamCommands.WriteEntries(c, detail.Entries);
        c.Reply.WriteBulk("groups"u8);
        c.Reply.WriteArrayHeader(detail.Groups.Count);
        foreach (var g in detail.Groups)
        {
            c.Reply.WriteMapHeader(7);
            c.Reply.WriteBulk("name"u8);
            c.Reply.WriteBulk(g.Group.Name);
            c.Reply.WriteBulk("last-delivered-id"u8);
            c.Reply.WriteBulk(g.Group.LastDeliveredId.ToString());
            WriteCounters(c, g.Group, g.Lag);
            c.Reply.WriteBulk("pel-count"u8);
            c.Reply.WriteInteger(g.Group.PendingCount);
            c.Reply.WriteBulk("pending"u8);
            c.Reply.WriteArrayHeader(g.Pending.Count);
            foreach (var p in g.Pending)
            {
                c.Reply.WriteArrayHeader(4);
                c.Reply.WriteBulk(p.Id.ToString());
                c.Reply.WriteBulk(p.Consumer);
                c.Reply.WriteInteger(p.DeliveryTimeMs);
                c.Reply.WriteInteger(p.DeliveryCount);
            }
            c.Reply.WriteBulk("consumers"u8);
            c.Reply.WriteArrayHeader(g.Consumers.Count);
            foreach (var (consumer, pending) in g.Consumers)
            {
                c.Reply.WriteMapHeader(4);
                c.Reply.WriteBulk("name"u8);
                c.Reply.WriteBulk(consumer.Name);
                c.Reply.WriteBulk("seen-time"u8);
                c.Reply.WriteInteger(consumer.SeenTimeMs);
                c.Reply.WriteBulk("pel-count"u8);
                c.Reply.WriteInteger(consumer.PendingCount);
                c.Reply.WriteBulk("pending"u8);
                c.Reply.WriteArrayHeader(pending.Count);
                foreach (var p in pending)
                {
                    c.Reply.WriteArrayHeader(3);
                    c.Reply.WriteBulk(p.Id.ToString());
                    c.Reply.WriteInteger(p.DeliveryTimeMs);
                    c.Reply.WriteInteger(p.DeliveryCount);
                }
            }
        }
    }

    private static void WriteState(CommandContext c, long length, long nodes, StreamState state)
    {
        c.Reply.WriteBulk("length"u8);
        c.Reply.WriteInteger(length);
        c.Reply.WriteBulk("radix-tree-keys"u8);
        c.Reply.WriteInteger(nodes);
        c.Reply.WriteBulk("radix-tree-nodes"u8);
        c.Reply.WriteInteger(nodes == 0 ? 1 : nodes + 1);
        c.Reply.WriteBulk("last-generated-id"u8);
        c.Reply.WriteBulk(state.LastId.ToString());
        c.Reply.WriteBulk("max-deleted-entry-id"u8);
        c.Reply.WriteBulk(state.MaxDeletedId.ToString());
        c.Reply.WriteBulk("entries-added"u8);
        c.Reply.WriteInteger((long)state.EntriesAdded);
        c.Reply.WriteBulk("recorded-first-entry-id"u8);
        c.Reply.WriteBulk(state.FirstId.ToString());
    }

    private static void WriteEntryOrNull(CommandContext c, StreamEntry? entry)
    {
        if (entry == null) c.Reply.WriteNull();
        else StreamCommands.WriteEntry(c, entry);
    }
}
