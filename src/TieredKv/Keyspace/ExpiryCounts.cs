using TieredKv.Storage;

namespace TieredKv.Keyspace;

/// <summary>
/// Per database, how many keys have a TTL (INFO keyspace's <c>expires</c>) and the sum of their expire-at times (for
/// <c>avg_ttl</c>), kept current by every write that stages a key change (<see cref="KvDatabase.Stage"/>): O(1) to
/// read. Counted once at open from the expiry index (one pass over its <c>E</c> records, keys only), then only
/// maintained: nothing of it is stored. A write that fails after staging (the WAL refusing writes) may leave it off
/// until the next open.
/// </summary>
internal sealed class ExpiryCounts
{
    private readonly Database[] _databases;

    /// <summary>One database's figures, changed under its lock (the sum is 128 bits: no atomic add for it).</summary>
    private sealed class Database
    {
        public readonly Lock Lock = new();
        public long Count;
        public Int128 ExpireAtSum;
    }

    public ExpiryCounts(Db engine, int databases)
    {
        _databases = new Database[databases];
        for (int db = 0; db < databases; db++)
        {
            var state = _databases[db] = new Database();
            using var it = engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(KeyCodec.ExpiryTag, db)));
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                state.Count++;
                state.ExpireAtSum += KeyCodec.DecodeExpiry(it.Key).ExpireAtMs;
            }
        }
    }

    public long Count(int db)
    {
        var state = _databases[db];
        lock (state.Lock) return state.Count;
    }

    /// <summary>
    /// The mean time to live, in milliseconds, of the keys with a TTL at <paramref name="nowMs"/> (0 when there are
    /// none). Exact where Redis's avg_ttl is a running estimate from its expiry cycle's samples; keys already due but
    /// not yet removed are left in, so it never goes below 0.
    /// </summary>
    public long AverageTtl(int db, long nowMs)
    {
        var state = _databases[db];
        lock (state.Lock)
            return state.Count == 0 ? 0 : (long)Int128.Max(0, state.ExpireAtSum / state.Count - nowMs);
    }

    /// <summary>A key's expire-at changed from <paramref name="before"/> to <paramref name="after"/> (0 = none).</summary>
    public void Change(int db, long before, long after)
    {
        if (before == after) return;
        var state = _databases[db];
        lock (state.Lock)
        {
            if (before != 0)
            {
                state.Count--;
                state.ExpireAtSum -= before;
            }
            if (after != 0)
            {
                state.Count++;
                state.ExpireAtSum += after;
            }
        }
    }

    /// <summary>The database was emptied (FLUSHDB).</summary>
    public void Reset(int db)
    {
        var state = _databases[db];
        lock (state.Lock)
        {
            state.Count = 0;
            state.ExpireAtSum = 0;
        }
    }

    /// <summary>Two databases exchanged their contents (SWAPDB). Caller holds both exclusively.</summary>
    public void Swap(int a, int b) => (_databases[a], _databases[b]) = (_databases[b], _databases[a]);
}
