using TieredKv.Changes;
using TieredKv.Server.Tracking;

namespace TieredKv.Server.Dispatch;

/// <summary>
/// Connects client-side caching to the server: the store's change feed names every key a write (or an
/// expiry) modified, and after each command the keys it read are remembered and the keys it wrote invalidated.
/// </summary>
internal static class TrackingInvalidator
{
    /// <summary>
    /// Follows the change feed for the store's lifetime. A command's keys are collected on its client and sent
    /// once it has run (one BCAST message for all of them, as Redis batches them); changes made outside a
    /// command (active expiry) are sent at once. Nothing is built while no client tracks.
    /// </summary>
    public static IDisposable Attach(ServerState server) =>
        server.Store.Changes.Subscribe(change => Collect(server, change),
            eventClass => server.Tracking.Active && eventClass is not (KeyEventClass.KeyMiss or KeyEventClass.New));

    private static void Collect(ServerState server, KeyspaceChange change)
    {
        string key = TrackingTable.Name(change.Key);
        var (client, _) = server.Origin.Current;
        if (client == null) server.Tracking.Invalidate([key], writer: null);
        else client.Tracking.PendingInvalidations.Add(key);
    }

    /// <summary>After a command ran: invalidates what it wrote, then remembers what it read (a read of a key it expired is remembered anew).</summary>
    public static void AfterCommand(CommandContext context, CommandSpec spec, bool succeeded)
    {
        var client = context.Client;
        var pending = client.Tracking.PendingInvalidations;
        if (pending.Count > 0)
        {
            var keys = pending.ToList();
            pending.Clear();
            context.Server.Tracking.Invalidate(keys, client);
        }
        if (!succeeded || !spec.Flags.HasFlag(CommandFlags.ReadOnly) || !client.Tracking.RemembersReads) return;
        if (CommandKeys.Of(spec, context.Args, 0) is not { } indexes) return;
        foreach (int i in indexes) context.Server.Tracking.RememberRead(client, context.Args[i]);
    }
}
