using System.Globalization;
using System.Text;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Network;

/// <summary>Publishes keyspace notifications on __keyspace@db__:key and __keyevent@db__:event, as notify-keyspace-events selects.</summary>
internal static class KeyspaceNotifier
{
    /// <summary>
    /// Publishes one event of a class for a key, if enabled. The writing client's own copies (RESP3
    /// subscribers may write) go into its reply before the command's reply, as in Redis.
    /// </summary>
    public static void Notify(ServerState server, ClientSession? client, RespWriter? reply, KeyspaceEventFlags type, string eventName, byte[] key, int db)
    {
        var flags = server.Options.NotifyKeyspaceEvents;
        if ((flags & type) == 0) return;
        byte[] eventBytes = Encoding.ASCII.GetBytes(eventName);
        string dbText = db.ToString(CultureInfo.InvariantCulture);
        if (flags.HasFlag(KeyspaceEventFlags.Keyspace))
            server.PubSub.Publish([.. Encoding.ASCII.GetBytes($"__keyspace@{dbText}__:"), .. key], eventBytes, client, reply);
        if (flags.HasFlag(KeyspaceEventFlags.Keyevent))
            server.PubSub.Publish([.. Encoding.ASCII.GetBytes($"__keyevent@{dbText}__:"), .. eventBytes], key, client, reply);
    }
}
