using TieredKv.Storage;

namespace TieredKv.Keyspace;

/// <summary>
/// How many keys of each database have a TTL (INFO keyspace's <c>expires</c>), kept current by every write that
/// stages a key change (<see cref="KvDatabase.Stage"/>): O(1) to read. Counted once at open from the expiry index
/// (one pass over its <c>E</c> records, keys only), then only maintained: the count is in memory, not in the store.
/// A write that fails after staging (the WAL refusing writes) may leave it off until the next open.
/// </summary>
internal sealed class ExpiryCounts
{
    private readonly long[] _counts;

    public ExpiryCounts(Db engine, int databases)
    {
        _counts = new long[databases];
        for (int db = 0; db < databases; db++)
        {
            using var it = engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(KeyCodec.ExpiryTag, db)));
            long count = 0;
            for (it.SeekToFirst(); it.Valid; it.Next()) count++;
            _counts[db] = count;
        }
    }

    public long Count(int db) => Interlocked.Read(ref _counts[db]);

    public void Add(int db, long delta)
    {
        if (delta != 0) Interlocked.Add(ref _counts[db], delta);
    }

    /// <summary>The database was emptied (FLUSHDB).</summary>
    public void Reset(int db) => Interlocked.Exchange(ref _counts[db], 0);

    /// <summary>Two databases exchanged their contents (SWAPDB). Caller holds both exclusively.</summary>
    public void Swap(int a, int b) => (_counts[a], _counts[b]) = (_counts[b], _counts[a]);
}
