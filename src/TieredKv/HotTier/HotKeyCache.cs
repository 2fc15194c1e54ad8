using System.Collections.Concurrent;
using TieredKv.Keyspace;

namespace TieredKv.HotTier;

/// <summary>
/// The hot tier: decoded metadata (and string values) of recently used keys, within a byte budget.
/// Every entry is also in the LSM, so dropping one ("demotion") costs no I/O. Eviction is CLOCK, an
/// approximate LRU: entries wait in a ring; a used entry gets a second chance, an unused one at the
/// front is demoted. An update changes the entry in place, so a key keeps its place in the ring; a
/// removed entry stays in the ring, dead, until the ring is compacted (once dead entries outnumber
/// live ones), so the ring never outgrows the cache.
/// </summary>
internal sealed class HotKeyCache
{
    // Dictionary node, entry object, key array headers: what a cached key costs beyond its bytes.
    // Measured on .NET 10 x64: GC heap per hot 16-byte key with a 64-byte value is ~300 bytes.
    private const int EntryOverhead = 130;

    private readonly ConcurrentDictionary<byte[], Entry>[] _databases;
    private readonly ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>>[] _lookups;
    private readonly ConcurrentQueue<Entry> _clock = new();
    private readonly Lock _evictLock = new();
    private long _deadInClock;
    private long _entries; // ConcurrentDictionary.Count takes every lock: keep our own
    private long _usedBytes;
    private long _hits, _misses, _promotions, _demotions;

    public HotKeyCache(long budgetBytes, int databases)
    {
        _budgetBytes = budgetBytes;
        _databases = new ConcurrentDictionary<byte[], Entry>[databases];
        _lookups = new ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>>[databases];
        for (int i = 0; i < databases; i++)
        {
            _databases[i] = new ConcurrentDictionary<byte[], Entry>(ByteArrayComparer.Instance);
            _lookups[i] = _databases[i].GetAlternateLookup<ReadOnlySpan<byte>>();
        }
    }

    private long _budgetBytes;

    /// <summary>The byte budget (Redis's maxmemory for the hot tier); <see cref="Resize"/> changes it while open.</summary>
    public long BudgetBytes
    {
        get => Interlocked.Read(ref _budgetBytes);
        private set => Interlocked.Exchange(ref _budgetBytes, value);
    }

    /// <summary>
    /// Changes the budget. A smaller one demotes entries (CLOCK order, as any eviction) until what stays fits; 0 or
    /// less demotes them all and caches nothing more.
    /// </summary>
    public void Resize(long budgetBytes)
    {
        BudgetBytes = budgetBytes;
        // Unlike a writer's eviction, wait for one already running. Two rounds: the first may only clear reference bits.
        long target = Math.Max(budgetBytes, 0);
        for (int round = 0; round < 3 && UsedBytes > target; round++) EvictAll(target);
    }

    /// <summary>Demotes entries until <paramref name="target"/> bytes are left, whatever their reference bits.</summary>
    private void EvictAll(long target)
    {
        lock (_evictLock)
        {
            for (int n = _clock.Count; n > 0 && UsedBytes > target && _clock.TryDequeue(out var e); n--)
            {
                if (!Volatile.Read(ref e.Live))
                {
                    Interlocked.Decrement(ref _deadInClock);
                    continue;
                }
                if (e.Referenced)
                {
                    e.Referenced = false; // a second chance, as in Evict, taken on the next round
                    _clock.Enqueue(e);
                    continue;
                }
                if (_databases[e.Db].TryRemove(new KeyValuePair<byte[], Entry>(e.Key, e)))
                {
                    Kill(e);
                    Interlocked.Increment(ref _demotions);
                }
            }
        }
    }
    public long UsedBytes => Interlocked.Read(ref _usedBytes);
    public long Count => Interlocked.Read(ref _entries);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Promotions => Interlocked.Read(ref _promotions);
    public long Demotions => Interlocked.Read(ref _demotions);

    /// <summary>Entries in the clock ring, live and dead (for tests: it must stay proportional to the cache).</summary>
    internal int ClockSlots => _clock.Count;

    /// <summary>A cached key. Its metadata and charge change under its own lock; once dead it never comes back.</summary>
    private sealed class Entry(int db, byte[] key, KeyMetadata metadata, long charge)
    {
        public readonly int Db = db;
        public readonly byte[] Key = key;
        public volatile KeyMetadata Metadata = metadata;
        public long Charge = charge;
        public volatile bool Referenced;
        public bool Live = true;

        /// <summary>When a command last used the key (Environment.TickCount64): OBJECT IDLETIME.</summary>
        public long LastAccessTicks = Environment.TickCount64;
    }

    /// <summary>
    /// The cached metadata of a key. <paramref name="touch"/> marks it used now (OBJECT IDLETIME restarts); Redis's
    /// TYPE, EXISTS, TTL and OBJECT look keys up without touching them.
    /// </summary>
    public bool TryGet(int db, ReadOnlySpan<byte> key, out KeyMetadata? metadata, bool touch = true)
    {
        if (_lookups[db].TryGetValue(key, out var entry))
        {
            entry.Referenced = true;
            if (touch) Volatile.Write(ref entry.LastAccessTicks, Environment.TickCount64);
            Interlocked.Increment(ref _hits);
            metadata = entry.Metadata;
            return true;
        }
        Interlocked.Increment(ref _misses);
        metadata = null;
        return false;
    }

    /// <summary>Caches the current metadata of a key; <paramref name="promoted"/> when it was just read from disk. Callers hold the key's lock.</summary>
    public void Set(int db, ReadOnlySpan<byte> key, KeyMetadata metadata, bool promoted)
    {
        if (BudgetBytes <= 0) return;
        long charge = EntryOverhead + key.Length + metadata.ApproximateSize;
        if (charge > BudgetBytes / 8) { Remove(db, key); return; } // a value this large is read from disk
        while (true)
        {
            if (_lookups[db].TryGetValue(key, out var existing))
            {
                lock (existing)
                {
                    if (!existing.Live) continue; // demoted meanwhile: add afresh
                    Interlocked.Add(ref _usedBytes, charge - existing.Charge);
                    existing.Charge = charge;
                    existing.Metadata = metadata;
                    // A write is a use; a promotion only caches what a lookup already touched (or chose not to).
                    if (!promoted) Volatile.Write(ref existing.LastAccessTicks, Environment.TickCount64);
                    break;
                }
            }
            var entry = new Entry(db, key.ToArray(), metadata, charge);
            if (_databases[db].TryAdd(entry.Key, entry))
            {
                Interlocked.Add(ref _usedBytes, charge);
                Interlocked.Increment(ref _entries);
                _clock.Enqueue(entry);
                break;
            }
        }
        if (promoted) Interlocked.Increment(ref _promotions);
        if (UsedBytes > BudgetBytes) Evict();
    }

    /// <summary>Milliseconds since the key was last used, or null when it is not in the hot tier.</summary>
    public long? IdleMilliseconds(int db, ReadOnlySpan<byte> key) =>
        _lookups[db].TryGetValue(key, out var entry) ? Environment.TickCount64 - Volatile.Read(ref entry.LastAccessTicks) : null;

    public void Remove(int db, ReadOnlySpan<byte> key)
    {
        if (_lookups[db].TryRemove(key, out _, out var removed))
        {
            Kill(removed);
            if (Interlocked.Increment(ref _deadInClock) > Count + 1024) CompactClock();
        }
    }

    public void Clear(int db)
    {
        foreach (var key in _databases[db].Keys) Remove(db, key);
    }

    /// <summary>Marks an entry that left the dictionary as dead and returns its charge.</summary>
    private void Kill(Entry entry)
    {
        lock (entry)
        {
            entry.Live = false;
            Interlocked.Add(ref _usedBytes, -entry.Charge);
        }
        Interlocked.Decrement(ref _entries);
    }

    /// <summary>Drops dead entries from the ring (amortized: runs once they outnumber live ones).</summary>
    private void CompactClock()
    {
        lock (_evictLock)
        {
            for (int n = _clock.Count; n > 0 && _clock.TryDequeue(out var e); n--)
            {
                if (Volatile.Read(ref e.Live)) _clock.Enqueue(e);
                else Interlocked.Decrement(ref _deadInClock);
            }
        }
    }

    private void Evict()
    {
        if (!_evictLock.TryEnter()) return; // someone else is evicting
        try
        {
            int budget = _clock.Count * 2 + 16; // bounded work even if everything is referenced
            while (UsedBytes > BudgetBytes && budget-- > 0 && _clock.TryDequeue(out var e))
            {
                if (!Volatile.Read(ref e.Live))
                {
                    Interlocked.Decrement(ref _deadInClock);
                    continue;
                }
                if (e.Referenced)
                {
                    e.Referenced = false;
                    _clock.Enqueue(e);
                    continue;
                }
                if (_databases[e.Db].TryRemove(new KeyValuePair<byte[], Entry>(e.Key, e)))
                {
                    Kill(e);
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
