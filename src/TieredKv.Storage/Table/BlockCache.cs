namespace TieredKv.Storage.Table;

/// <summary>
/// A byte-budgeted LRU cache of decoded table blocks, shared by every table of one or more databases.
/// Sharded by key hash so that concurrent readers rarely meet on one lock.
/// </summary>
public sealed class BlockCache
{
    private const int ShardCount = 16;
    private const int MaxFreeBuffers = 64;
    private const int BufferGranularity = 1024;
    private readonly Shard[] _shards;
    // Buffers of evicted, unreferenced blocks, reused by cache misses of point lookups: a cold read then
    // allocates (and the GC zeroes and promotes) no block-sized array per miss.
    private readonly List<byte[]> _freeBuffers = new(MaxFreeBuffers);
    private readonly Lock _freeLock = new();
    private long _nextId;
    private long _hits;
    private long _misses;

    public BlockCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
        _shards = new Shard[ShardCount];
        for (int i = 0; i < ShardCount; i++) _shards[i] = new Shard(Math.Max(1, capacityBytes / ShardCount));
    }

    public long CapacityBytes { get; }
    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    public long UsageBytes
    {
        get
        {
            long total = 0;
            foreach (var s in _shards) total += s.Usage;
            return total;
        }
    }

    /// <summary>A number unique within this cache, to tell apart blocks of different files at equal offsets.</summary>
    public long NewId() => Interlocked.Increment(ref _nextId);

    /// <summary>A buffer of at least <paramref name="size"/> bytes for a block; contents undefined.</summary>
    internal byte[] RentBuffer(int size)
    {
        lock (_freeLock)
        {
            // First fit that wastes little: blocks vary a little in size around the configured block size.
            for (int i = _freeBuffers.Count - 1; i >= 0; i--)
            {
                var candidate = _freeBuffers[i];
                if (candidate.Length >= size && candidate.Length - size <= 2 * BufferGranularity)
                {
                    _freeBuffers[i] = _freeBuffers[^1];
                    _freeBuffers.RemoveAt(_freeBuffers.Count - 1);
                    return candidate;
                }
            }
        }
        // Rounded up so that buffers of blocks of nearly equal size are interchangeable.
        int rounded = size > Array.MaxLength - BufferGranularity ? size : (size + BufferGranularity - 1) / BufferGranularity * BufferGranularity;
        return GC.AllocateUninitializedArray<byte>(rounded);
    }

    /// <summary>Takes back the buffer of a block nobody references any more.</summary>
    internal void ReturnBuffer(byte[] buffer)
    {
        lock (_freeLock)
        {
            if (_freeBuffers.Count < MaxFreeBuffers) _freeBuffers.Add(buffer);
        }
    }

    /// <summary>Looks a block up and, on a hit, retains it (<see cref="Block.Release"/> it after use) or pins it (for iterators).</summary>
    internal bool TryGetBlock(long id, long offset, bool pin, out Block? block)
    {
        bool hit = ShardFor(id, offset).TryGet(new CacheKey(id, offset), out object? value, pin ? Hold.Pin : Hold.Retain) && value is Block;
        block = hit ? (Block)value! : null;
        if (hit) Interlocked.Increment(ref _hits);
        else Interlocked.Increment(ref _misses);
        return hit;
    }

    public bool TryGet(long id, long offset, out object? value)
    {
        bool hit = ShardFor(id, offset).TryGet(new CacheKey(id, offset), out value, Hold.Pin); // the caller may keep what it gets
        if (hit) Interlocked.Increment(ref _hits);
        else Interlocked.Increment(ref _misses);
        return hit;
    }

    /// <summary>Adds a value charged at <paramref name="charge"/> bytes, evicting least recently used entries past the budget.</summary>
    public void Insert(long id, long offset, object value, long charge) =>
        ShardFor(id, offset).Insert(new CacheKey(id, offset), value, charge);

    /// <summary>Drops every block of one file (its table was deleted).</summary>
    public void EraseFile(long id)
    {
        foreach (var s in _shards) s.EraseWhere(k => k.Id == id);
    }

    private Shard ShardFor(long id, long offset) =>
        _shards[(int)((ulong)HashCode.Combine(id, offset) % ShardCount)];

    private readonly record struct CacheKey(long Id, long Offset);

    private enum Hold { Retain, Pin }

    private sealed class Entry(CacheKey key, object value, long charge)
    {
        public readonly CacheKey Key = key;
        public readonly object Value = value;
        public readonly long Charge = charge;
    }

    private sealed class Shard(long capacity)
    {
        private readonly Dictionary<CacheKey, LinkedListNode<Entry>> _map = new();
        private readonly LinkedList<Entry> _lru = new(); // most recent first
        private readonly Lock _lock = new();
        private long _usage;

        public long Usage
        {
            get { lock (_lock) return _usage; }
        }

        public bool TryGet(CacheKey key, out object? value, Hold hold)
        {
            lock (_lock)
            {
                if (_map.TryGetValue(key, out var node))
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    value = node.Value.Value;
                    // Under the lock, so that eviction cannot drop the last reference in between.
                    if (value is Block b)
                    {
                        if (hold == Hold.Retain) b.Retain();
                        else b.Pin();
                    }
                    return true;
                }
            }
            value = null;
            return false;
        }

        public void Insert(CacheKey key, object value, long charge)
        {
            lock (_lock)
            {
                if (_map.Remove(key, out var old))
                {
                    _lru.Remove(old);
                    _usage -= old.Value.Charge;
                    Dropped(old.Value.Value);
                }
                if (charge > capacity) return; // larger than the whole shard: never cache
                (value as Block)?.Retain(); // the cache's own reference
                var node = _lru.AddFirst(new Entry(key, value, charge));
                _map[key] = node;
                _usage += charge;
                while (_usage > capacity && _lru.Last is { } last)
                {
                    _lru.RemoveLast();
                    _map.Remove(last.Value.Key);
                    _usage -= last.Value.Charge;
                    Dropped(last.Value.Value);
                }
            }
        }

        private static void Dropped(object value) => (value as Block)?.Release();

        public void EraseWhere(Func<CacheKey, bool> predicate)
        {
            lock (_lock)
            {
                for (var node = _lru.First; node != null;)
                {
                    var next = node.Next;
                    if (predicate(node.Value.Key))
                    {
                        _lru.Remove(node);
                        _map.Remove(node.Value.Key);
                        _usage -= node.Value.Charge;
                        Dropped(node.Value.Value);
                    }
                    node = next;
                }
            }
        }
    }
}
