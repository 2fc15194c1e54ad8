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
    // Measured on .NET 10 x64: GC heap per hot 16-byte key with a 64-byte value is ~300 bytes.
    private const int EntryOverhead = 150;

    private readonly ConcurrentDictionary<byte[], Entry>[] _databases;
    private readonly ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>>[] _lookups;
    private readonly ConcurrentQueue<Slot> _clock = new();
    private long _deadSlots;
    private long _entries; // ConcurrentDictionary.Count takes every lock: keep our own
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
    public long Count => Interlocked.Read(ref _entries);
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);
    public long Promotions => Interlocked.Read(ref _promotions);
    public long Demotions => Interlocked.Read(ref _demotions);

    /// <summary>Slots in the clock ring, live and dead (for tests: it must stay proportional to the cache).</summary>
    internal int ClockSlots => _clock.Count;

    private sealed class Entry(int db, byte[] key, KeyMetadata metadata, long charge)
    {
        public readonly int Db = db;
        public readonly byte[] Key = key;
        public readonly KeyMetadata Metadata = metadata;
        public readonly long Charge = charge;
        public volatile bool Referenced;
        public Slot Slot = null!;
    }

    /// <summary>A key's place in the clock ring; its entry is null once the key left the cache.</summary>
    private sealed class Slot(Entry entry)
    {
        public volatile Entry? Entry = entry;
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
                entry.Slot = old.Slot;
                if (dictionary.TryUpdate(entry.Key, entry, old))
                {
                    old.Slot.Entry = entry;
                    Interlocked.Add(ref _usedBytes, -old.Charge);
                    break;
                }
            }
            else
            {
                entry.Slot = new Slot(entry);
                if (dictionary.TryAdd(entry.Key, entry))
                {
                    Interlocked.Increment(ref _entries);
                    _clock.Enqueue(entry.Slot);
                    break;
                }
            }
        }
        if (promoted) Interlocked.Increment(ref _promotions);
        if (UsedBytes > BudgetBytes) Evict();
    }

    public void Remove(int db, ReadOnlySpan<byte> key)
    {
        if (_lookups[db].TryRemove(key, out _, out var old))
        {
            Interlocked.Add(ref _usedBytes, -old.Charge);
            Interlocked.Decrement(ref _entries);
            KillSlot(old);
        }
    }

    public void Clear(int db)
    {
        foreach (var key in _databases[db].Keys) Remove(db, key);
    }

    private void KillSlot(Entry removed)
    {
        var slot = removed.Slot;
        if (!ReferenceEquals(slot.Entry, removed)) return; // the key is back with a newer entry
        slot.Entry = null;
        if (Interlocked.Increment(ref _deadSlots) > Count + 1024) CompactClock();
    }

    /// <summary>Drops dead slots from the ring (amortized: runs once they outnumber live ones).</summary>
    private void CompactClock()
    {
        lock (_evictLock)
        {
            for (int n = _clock.Count; n > 0 && _clock.TryDequeue(out var slot); n--)
            {
                if (slot.Entry != null) _clock.Enqueue(slot);
                else Interlocked.Decrement(ref _deadSlots);
            }
        }
    }

    private void Evict()
    {
        if (!_evictLock.TryEnter()) return; // someone else is evicting
        try
        {
            int budget = _clock.Count * 2 + 16; // bounded work even if everything is referenced
            while (UsedBytes > BudgetBytes && budget-- > 0 && _clock.TryDequeue(out var slot))
            {
                var e = slot.Entry;
                if (e == null)
                {
                    Interlocked.Decrement(ref _deadSlots);
                    continue;
                }
                if (e.Referenced)
                {
                    e.Referenced = false;
                    _clock.Enqueue(slot);
                    continue;
                }
                if (_databases[e.Db].TryRemove(new KeyValuePair<byte[], Entry>(e.Key, e)))
                {
                    slot.Entry = null; // the slot leaves the ring with it
                    Interlocked.Decrement(ref _entries);
                    Interlocked.Add(ref _usedBytes, -e.Charge);
                    Interlocked.Increment(ref _demotions);
                }
                else
                {
                    _clock.Enqueue(slot); // replaced meanwhile: the key stays
                }
            }
        }
        finally
        {
            _evictLock.Exit();
        }
    }
}
