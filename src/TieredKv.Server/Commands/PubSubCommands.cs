using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Server.PubSub;

namespace TieredKv.Server.Commands;

/// <summary>SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH, the sharded SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, and PUBSUB.</summary>
internal static class PubSubCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags flags = CommandFlags.PubSub;
        t.Add(new("subscribe", -2, flags, 0, 0, 0, c => Subscribe(c, SubscriptionKind.Channel)));
        t.Add(new("psubscribe", -2, flags, 0, 0, 0, c => Subscribe(c, SubscriptionKind.Pattern)));
        t.Add(new("unsubscribe", -1, flags, 0, 0, 0, c => Unsubscribe(c, SubscriptionKind.Channel)));
        t.Add(new("punsubscribe", -1, flags, 0, 0, 0, c => Unsubscribe(c, SubscriptionKind.Pattern)));
        t.Add(new("publish", 3, flags | CommandFlags.Fast, 0, 0, 0, Publish));
        // Shard channels sit where keys would, as Redis 7's key specs place them (flagged not_key).
        t.Add(new("ssubscribe", -2, flags, 1, -1, 1, c => Subscribe(c, SubscriptionKind.Shard)));
        t.Add(new("sunsubscribe", -1, flags, 1, -1, 1, c => Unsubscribe(c, SubscriptionKind.Shard)));
        t.Add(new("spublish", 3, flags | CommandFlags.Fast, 1, 1, 1, c =>
            c.Reply.WriteInteger(c.Server.PubSub.PublishShard(c.Arg(1), c.Arg(2), c.Client, c.Reply))));
        t.Add(new("pubsub", -2, flags, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("pubsub|channels", -2, flags, 0, 0, 0, c => Channels(c, SubscriptionKind.Channel)),
                new CommandSpec("pubsub|numsub", -2, flags, 0, 0, 0, c => NumSub(c, SubscriptionKind.Channel)),
                new CommandSpec("pubsub|numpat", 2, flags, 0, 0, 0, c => c.Reply.WriteInteger(c.Server.PubSub.PatternCount)),
                new CommandSpec("pubsub|shardchannels", -2, flags, 0, 0, 0, c => Channels(c, SubscriptionKind.Shard)),
                new CommandSpec("pubsub|shardnumsub", -2, flags, 0, 0, 0, c => NumSub(c, SubscriptionKind.Shard)),
                new CommandSpec("pubsub|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, Help))),
        });
    }

    private static readonly string[] Help =
    [
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    ];

    private static HashSet<string> SetOf(ClientSession client, SubscriptionKind kind) => kind switch
    {
        SubscriptionKind.Pattern => client.Patterns,
        SubscriptionKind.Shard => client.ShardChannels,
        _ => client.Channels,
    };

    private static ReadOnlySpan<byte> ConfirmationOf(SubscriptionKind kind, bool subscribe) => kind switch
    {
        SubscriptionKind.Pattern => subscribe ? "psubscribe"u8 : "punsubscribe"u8,
        SubscriptionKind.Shard => subscribe ? "ssubscribe"u8 : "sunsubscribe"u8,
        _ => subscribe ? "subscribe"u8 : "unsubscribe"u8,
    };

    /// <summary>The count a confirmation carries: shard subscriptions are counted apart from channels and patterns, as in Redis 7.</summary>
    private static int CountAfter(ClientSession client, SubscriptionKind kind) =>
        kind == SubscriptionKind.Shard ? client.ShardChannels.Count : client.Channels.Count + client.Patterns.Count;

    private static void Subscribe(CommandContext c, SubscriptionKind kind)
    {
        var client = c.Client;
        for (int i = 1; i < c.ArgCount; i++)
        {
            c.Server.PubSub.Subscribe(client, PubSubHub.Name(c.Args[i]), kind);
            Confirm(c, ConfirmationOf(kind, subscribe: true), c.Args[i], CountAfter(client, kind));
        }
    }

    private static void Unsubscribe(CommandContext c, SubscriptionKind kind)
    {
        var client = c.Client;
        var confirmation = ConfirmationOf(kind, subscribe: false);
        if (c.ArgCount == 1)
        {
            var all = SetOf(client, kind).ToList();
            if (all.Count == 0)
            {
                // Nothing to leave: Redis still confirms, with a null name.
                c.Reply.WritePushHeader(3);
                c.Reply.WriteBulk(confirmation);
                c.Reply.WriteNull();
                c.Reply.WriteInteger(CountAfter(client, kind));
                return;
            }
            foreach (var name in all)
            {
                c.Server.PubSub.Unsubscribe(client, name, kind);
                Confirm(c, confirmation, PubSubHub.Bytes(name), CountAfter(client, kind));
            }
            return;
        }
        for (int i = 1; i < c.ArgCount; i++)
        {
            c.Server.PubSub.Unsubscribe(client, PubSubHub.Name(c.Args[i]), kind);
            Confirm(c, confirmation, c.Args[i], CountAfter(client, kind));
        }
    }

    /// <summary>A (un)subscribe confirmation: kind, name, and the client's subscription count after it.</summary>
    private static void Confirm(CommandContext c, ReadOnlySpan<byte> kind, ReadOnlySpan<byte> name, int count)
    {
        c.Reply.WritePushHeader(3);
        c.Reply.WriteBulk(kind);
        c.Reply.WriteBulk(name);
        c.Reply.WriteInteger(count);
    }

    private static void Publish(CommandContext c) =>
        c.Reply.WriteInteger(c.Server.PubSub.Publish(c.Arg(1), c.Arg(2), c.Client, c.Reply));

    private static void Channels(CommandContext c, SubscriptionKind kind)
    {
        if (c.ArgCount > 3) throw new KvException($"ERR unknown subcommand or wrong number of arguments for '{c.Text(1)}'. Try PUBSUB HELP.");
        var channels = c.Server.PubSub.ActiveChannels(c.ArgCount == 3 ? c.Arg(2) : null, kind);
        c.Reply.WriteArrayHeader(channels.Count);
        foreach (var channel in channels) c.Reply.WriteBulk(channel);
    }

    private static void NumSub(CommandContext c, SubscriptionKind kind)
    {
        c.Reply.WriteArrayHeader((c.ArgCount - 2) * 2);
        for (int i = 2; i < c.ArgCount; i++)
        {
            c.Reply.WriteBulk(c.Args[i]);
            c.Reply.WriteInteger(c.Server.PubSub.SubscriberCount(c.Args[i], kind));
        }
    }
}
