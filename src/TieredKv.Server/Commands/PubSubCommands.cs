using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Server.PubSub;

namespace TieredKv.Server.Commands;

/// <summary>SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, PUBSUB.</summary>
internal static class PubSubCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags flags = CommandFlags.PubSub;
        t.Add(new("subscribe", -2, flags, 0, 0, 0, c => Subscribe(c, pattern: false)));
        t.Add(new("psubscribe", -2, flags, 0, 0, 0, c => Subscribe(c, pattern: true)));
        t.Add(new("unsubscribe", -1, flags, 0, 0, 0, c => Unsubscribe(c, pattern: false)));
        t.Add(new("punsubscribe", -1, flags, 0, 0, 0, c => Unsubscribe(c, pattern: true)));
        t.Add(new("publish", 3, flags | CommandFlags.Fast, 0, 0, 0, Publish));
        t.Add(new("pubsub", -2, flags, 0, 0, 0, c => ServerCommands.Sub(c, "pubsub"))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("pubsub|channels", -2, flags, 0, 0, 0, Channels),
                new CommandSpec("pubsub|numsub", -2, flags, 0, 0, 0, NumSub),
                new CommandSpec("pubsub|numpat", 2, flags, 0, 0, 0, c => c.Reply.WriteInteger(c.Server.PubSub.PatternCount))),
        });
    }

    private static void Subscribe(CommandContext c, bool pattern)
    {
        var client = c.Client;
        for (int i = 1; i < c.ArgCount; i++)
        {
            string name = PubSubHub.Name(c.Args[i]);
            c.Server.PubSub.Subscribe(client, name, pattern);
            Confirm(c, pattern ? "psubscribe"u8 : "subscribe"u8, c.Args[i]);
        }
    }

    private static void Unsubscribe(CommandContext c, bool pattern)
    {
        var client = c.Client;
        var kind = pattern ? "punsubscribe"u8 : "unsubscribe"u8;
        if (c.ArgCount == 1)
        {
            var all = (pattern ? client.Patterns : client.Channels).ToList();
            if (all.Count == 0)
            {
                // Nothing to leave: Redis still confirms, with a null name.
                c.Reply.WritePushHeader(3);
                c.Reply.WriteBulk(kind);
                c.Reply.WriteNull();
                c.Reply.WriteInteger(client.Channels.Count + client.Patterns.Count);
                return;
            }
            foreach (var name in all)
            {
                c.Server.PubSub.Unsubscribe(client, name, pattern);
                Confirm(c, kind, PubSubHub.Bytes(name));
            }
            return;
        }
        for (int i = 1; i < c.ArgCount; i++)
        {
            c.Server.PubSub.Unsubscribe(client, PubSubHub.Name(c.Args[i]), pattern);
            Confirm(c, kind, c.Args[i]);
        }
    }

    /// <summary>A (un)subscribe confirmation: kind, name, and the client's subscription count after it.</summary>
    private static void Confirm(CommandContext c, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> name)
    {
        c.Reply.WritePushHeader(3);
        c.Reply.WriteBulk(kind);
        c.Reply.WriteBulk(name);
        c.Reply.WriteInteger(c.Client.Channels.Count + c.Client.Patterns.Count);
    }

    private static void Publish(CommandContext c) =>
        c.Reply.WriteInteger(c.Server.PubSub.Publish(c.Arg(1), c.Arg(2), c.Client, c.Reply));

    private static void Channels(CommandContext c)
    {
        if (c.ArgCount > 3) throw new KvException($"ERR unknown subcommand or wrong number of arguments for '{c.Text(1)}'. Try PUBSUB HELP.");
        var channels = c.Server.PubSub.ActiveChannels(c.ArgCount == 3 ? c.Arg(2) : null);
        c.Reply.WriteArrayHeader(channels.Count);
        foreach (var channel in channels) c.Reply.WriteBulk(channel);
    }

    private static void NumSub(CommandContext c)
    {
        c.Reply.WriteArrayHeader((c.ArgCount - 2) * 2);
        for (int i = 2; i < c.ArgCount; i++)
        {
            c.Reply.WriteBulk(c.Args[i]);
            c.Reply.WriteInteger(c.Server.PubSub.SubscriberCount(c.Args[i]));
        }
    }
}
