using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>SWAPDB index1 index2: the two numbers exchange their databases in O(1) (<see cref="TieredKvStore.SwapDatabases"/>).</summary>
internal static class SwapDbCommand
{
    public static void Register(CommandTable t) =>
        t.Add(new("swapdb", 3, CommandFlags.Write | CommandFlags.Fast, 0, 0, 0, SwapDb));

    private static void SwapDb(CommandContext c)
    {
        int first = Index(c, 1, "ERR invalid first DB index");
        int second = Index(c, 2, "ERR invalid second DB index");
        var store = c.Server.Store;
        if (first < 0 || first >= store.DatabaseCount || second < 0 || second >= store.DatabaseCount) throw new KvException("ERR DB index is out of range");
        if (first != second)
        {
            // Redis dirties a WATCH in either database whose key exists on either side of the swap: its value may have changed.
            var watchedFirst = ChangedBySwap(c, first, second);
            var watchedSecond = ChangedBySwap(c, second, first);
            store.SwapDatabases(first, second);
            foreach (var key in watchedFirst) c.Server.Watches.Touch(first, key);
            foreach (var key in watchedSecond) c.Server.Watches.Touch(second, key);
            // Clients blocked on a key that the swap brought may now be served.
            c.Server.Blocked.SignalDatabase(first);
            c.Server.Blocked.SignalDatabase(second);
        }
        c.Reply.WriteOk();
    }

    private static List<byte[]> ChangedBySwap(CommandContext c, int db, int other) =>
        c.Server.Watches.KeysWatchedIn(db).Where(k => c.Server.Store[db].Exists(k) || c.Server.Store[other].Exists(k)).ToList();

    /// <summary>Redis reads the index as an int; anything else is refused with <paramref name="error"/>.</summary>
    private static int Index(CommandContext c, int argument, string error)
    {
        long value = c.Integer(argument, error);
        return value is < int.MinValue or > int.MaxValue ? throw new KvException(error) : (int)value;
    }
}
