using System.Collections.Concurrent;
using TieredKv.Keyspace;

namespace TieredKv.HotTier;

/// <summary>
/// The hot tier: decoded metadata (and string values) of recently used keys, within a byte budget.
/// Every entry is also in the LSM, so dropping one ("demotion") costs no I/O. Eviction is CLOCK,
/// an approximate LRU: entries wait in a ring; a used entry gets a second chance, an unused one at
/// the front is demoted.
/// </summary>
internal sealed class HotKeyCache
{
    // Dictionary node, entry object, key array headers: what a cached key costs beyond its bytes.
    private const int EntryOverhead = 112;

    private readonly ConcurrentDictionary<byte[], Entry>[] _databases;
    private readonly ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>>[] _lookups;
    private readonly ConcurrentQueue<Entry> _clock = new();
    private readonly Lock _evictLock = new();
    private long _usedBytes;
    private long _hits, _misses, _promotions, _demotions;

    public HotKeyCache(long budgetBytes, int databases)
    {
        BudgetBytes = budgetBytes;
        _databases = new ConcurrentDictionary<byte[], Entry>[databases];
        _lookups = new ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>>[databases];
        for (int i = 0; i < databases; i++)
        {
            _databases[i] = new ConcurrentDictionary<byte[], Entry>(ByteArrayComparer.Instance);
            _lookups[i] = _databases[i].GetAlternateLookup<ReadOnlySpan<byte>>();
        }
    }

    public long BudgetBytes { get; }
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public long Count => _databases.Sum(d => (long)d.Count);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Promotions => Interlocked.Read(ref _promotions);
    public long Demotions => Interlocked.Read(ref _demotions);

    private sealed class Entry(int db, byte[] key, KeyMetadata metadata, long charge)
    {
        public readonly int Db = db;
        public readonly byte[] Key = key;
        public readonly KeyMetadata Metadata = metadata;
        public readonly long Charge = charge;
        public volatile bool Referenced;
    }

    public bool TryGet(int db, ReadOnlySpan<byte> key, out KeyMetadata? metadata)
    {
        if (_lookups[db].TryGetValue(key, out var entry))
        {
            entry.Referenced = true;
            Interlocked.Increment(ref _hits);
            metadata = entry.Metadata;
            return true;
        }
        Interlocked.Increment(ref _misses);
        metadata = null;
        return false;
    }

    /// <summary>Caches the current metadata of a key; <paramref name="promoted"/> when it was just read from disk.</summary>
    public void Set(int db, ReadOnlySpan<byte> key, KeyMetadata metadata, bool promoted)
    {
        if (BudgetBytes <= 0) return;
        long charge = EntryOverhead + key.Length + metadata.ApproximateSize;
        if (charge > BudgetBytes / 8) { Remove(db, key); return; } // a value this large is read from disk
        var entry = new Entry(db, key.ToArray(), metadata, charge);
        var dictionary = _databases[db];
        Interlocked.Add(ref _usedBytes, charge);
        while (true)
        {
            // Swap atomically so that a concurrent demotion of the old entry is charged exactly once.
            if (dictionary.TryGetValue(entry.Key, out var old))
            {
                if (dictionary.TryUpdate(entry.Key, entry, old))
                {
                    Interlocked.Add(ref _usedBytes, -old.Charge);
                    break;
                }
            }
            else if (dictionary.TryAdd(entry.Key, entry))
            {
                break;
            }
        }
        if (promoted) Interlocked.Increment(ref _promotions);
        _clock.Enqueue(entry);
        if (UsedBytes > BudgetBytes) Evict();
    }

    public void Remove(int db, ReadOnlySpan<byte> key)
    {
        if (_lookups[db].TryRemove(key, out _, out var old)) Interlocked.Add(ref _usedBytes, -old.Charge);
    }

    public void Clear(int db)
    {
        foreach (var key in _databases[db].Keys) Remove(db, key);
    }

    private void Evict()
    {
        if (!_evictLock.TryEnter()) return; // someone else is evicting
        try
        {
            int budget = _clock.Count * 2 + 16; // bounded work even if everything is referenced
            while (UsedBytes > BudgetBytes && budget-- > 0 && _clock.TryDequeue(out var e))
            {
                if (!_databases[e.Db].TryGetValue(e.Key, out var current) || !ReferenceEquals(current, e)) continue; // replaced or removed
                if (e.Referenced)
                {
                    e.Referenced = false;
                    _clock.Enqueue(e);
                    continue;
                }
                if (_databases[e.Db].TryRemove(new KeyValuePair<byte[], Entry>(e.Key, e)))
                {
                    Interlocked.Add(ref _usedBytes, -e.Charge);
                    Interlocked.Increment(ref _demotions);
                }
            }
        }
        finally
        {
            _evictLock.Exit();
        }
    }
}
