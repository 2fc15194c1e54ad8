using System.Globalization;
using System.Text;
using TieredKv.Changes;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Notifications;

/// <summary>
/// Publishes keyspace notifications on __keyspace@db__:key and __keyevent@db__:event, as notify-keyspace-events
/// selects, for every change the store's change feed reports.
/// </summary>
internal static class KeyspaceNotifier
{
    /// <summary>
    /// Follows the store's change feed for as long as the store is open (or the subscription lives),
    /// asking only for the classes notify-keyspace-events enables: with notifications off, writes build no changes.
    /// </summary>
    public static IDisposable Attach(ServerState server) =>
        server.Store.Changes.Subscribe(change => Publish(server, change), eventClass => Enabled(server, eventClass));

    private static bool Enabled(ServerState server, KeyEventClass eventClass) => (server.Options.NotifyKeyspaceEvents & FlagOf(eventClass)) != 0;

    /// <summary>
    /// Publishes one change, if its class is enabled. The writing client's own copies (RESP3 subscribers
    /// may write) go into its reply before the command's reply, as in Redis: the feed calls back on the
    /// writing thread, where <see cref="CommandOrigin"/> names the client.
    /// </summary>
    private static void Publish(ServerState server, KeyspaceChange change)
    {
        var flags = server.Options.NotifyKeyspaceEvents;
        var type = FlagOf(change.Class);
        if ((flags & type) == 0) return;
        var (client, reply) = server.Origin.Current;
        byte[] eventBytes = Encoding.ASCII.GetBytes(change.Event);
        string dbText = change.Database.ToString(CultureInfo.InvariantCulture);
        if (flags.HasFlag(KeyspaceEventFlags.Keyspace))
            server.PubSub.Publish([.. Encoding.ASCII.GetBytes($"__keyspace@{dbText}__:"), .. change.Key], eventBytes, client, reply);
        if (flags.HasFlag(KeyspaceEventFlags.Keyevent))
            server.PubSub.Publish([.. Encoding.ASCII.GetBytes($"__keyevent@{dbText}__:"), .. eventBytes], change.Key, client, reply);
    }

    private static KeyspaceEventFlags FlagOf(KeyEventClass eventClass) => eventClass switch
    {
        KeyEventClass.Generic => KeyspaceEventFlags.Generic,
        KeyEventClass.String => KeyspaceEventFlags.String,
        KeyEventClass.List => KeyspaceEventFlags.List,
        KeyEventClass.Set => KeyspaceEventFlags.Set,
        KeyEventClass.Hash => KeyspaceEventFlags.Hash,
        KeyEventClass.SortedSet => KeyspaceEventFlags.SortedSet,
        KeyEventClass.Expired => KeyspaceEventFlags.Expired,
        KeyEventClass.Evicted => KeyspaceEventFlags.Evicted,
        KeyEventClass.Stream => KeyspaceEventFlags.Stream,
        KeyEventClass.KeyMiss => KeyspaceEventFlags.KeyMiss,
        KeyEventClass.New => KeyspaceEventFlags.New,
        _ => KeyspaceEventFlags.None,
    };
}
