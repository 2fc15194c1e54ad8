using TieredKv.Server.PubSub;

namespace TieredKv.Server.Transactions;

/// <summary>
/// Server-wide index of WATCHed keys: (database, key) → the sessions' transactions watching it. A
/// write to a watched key marks those transactions as touched, so their EXEC aborts.
/// </summary>
/// <remarks>
/// Only watched keys are tracked, so memory is bounded by the watches, not by the keyspace, and the
/// check is exact per key. Writes take the lock only when some key is watched at all.
/// </remarks>
internal sealed class WatchRegistry
{
    private readonly object _lock = new();
    private readonly Dictionary<(int Db, string Key), List<TransactionState>> _watchers = [];
    private int _count;

    public void Watch(TransactionState transaction, int db, byte[] key, bool existed)
    {
        string name = PubSubHub.Name(key);
        var watches = transaction.Watched;
        if (watches.Exists(w => w.Db == db && w.Name == name)) return;
        watches.Add(new WatchedKey(db, name, key, existed));
        lock (_lock)
        {
            if (!_watchers.TryGetValue((db, name), out var list)) _watchers[(db, name)] = list = [];
            list.Add(transaction);
            _count++;
        }
    }

    /// <summary>Forgets all of a session's watches (EXEC, DISCARD, UNWATCH, RESET, disconnect).</summary>
    public void UnwatchAll(TransactionState transaction)
    {
        var watches = transaction.Watched;
        if (watches.Count > 0)
        {
            lock (_lock)
            {
                foreach (var w in watches)
                {
                    if (!_watchers.TryGetValue((w.Db, w.Name), out var list) || !list.Remove(transaction)) continue;
                    _count--;
                    if (list.Count == 0) _watchers.Remove((w.Db, w.Name));
                }
            }
            watches.Clear();
        }
        transaction.Touched = false;
    }

    /// <summary>The keys watched in database <paramref name="db"/> (SWAPDB decides which of them the swap changed).</summary>
    public List<byte[]> KeysWatchedIn(int db)
    {
        if (Volatile.Read(ref _count) == 0) return [];
        lock (_lock) return [.. _watchers.Keys.Where(k => k.Db == db).Select(k => PubSubHub.Bytes(k.Key))];
    }

    /// <summary>Called after a write to <paramref name="key"/>: every transaction watching it will abort.</summary>
    public void Touch(int db, ReadOnlySpan<byte> key)
    {
        if (Volatile.Read(ref _count) == 0) return;
        string name = PubSubHub.Name(key);
        lock (_lock)
        {
            if (!_watchers.TryGetValue((db, name), out var list)) return;
            foreach (var t in list) t.Touched = true;
        }
    }
}

/// <summary>One WATCHed key and whether it existed then (a key that existed and is gone at EXEC expired or was flushed).</summary>
internal sealed record WatchedKey(int Db, string Name, byte[] Key, bool Existed);
