using TieredKv.Storage.Format;
using TieredKv.Storage.IO;

namespace TieredKv.Storage.Table;

/// <summary>
/// Keeps at most <c>maxOpenFiles</c> table readers open, opening them lazily and closing the least recently
/// used. Readers are reference counted: the cache holds one reference while a reader is cached and every
/// <see cref="Lease"/> holds one, so a reader evicted while in use is closed only when its last lease ends.
/// Thread-safe.
/// </summary>
internal sealed class TableCache : IDisposable
{
    private readonly string _dbDirectory;
    private readonly IFileSystem _fileSystem;
    private readonly int _maxOpenFiles;
    private readonly BlockCache? _blockCache;
    private readonly TableReadCounters? _counters;
    private readonly Dictionary<ulong, LinkedListNode<Entry>> _map = new();
    private readonly LinkedList<Entry> _lru = new(); // most recently used first
    private readonly Lock _lock = new();
    private bool _disposed;

    public TableCache(string dbDirectory, IFileSystem fileSystem, int maxOpenFiles, BlockCache? blockCache, TableReadCounters? counters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOpenFiles, 1);
        _dbDirectory = dbDirectory;
        _fileSystem = fileSystem;
        _maxOpenFiles = maxOpenFiles;
        _blockCache = blockCache;
        _counters = counters;
    }

    /// <summary>Readers currently held by the cache (not counting evicted ones still leased).</summary>
    public int OpenCount
    {
        get { lock (_lock) return _map.Count; }
    }

    /// <summary>Returns a lease on the reader of table <paramref name="fileNumber"/>, opening it if needed. Dispose the lease exactly once.</summary>
    public Lease Acquire(ulong fileNumber)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_map.TryGetValue(fileNumber, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                node.Value.RefCount++;
                return new Lease(node.Value);
            }
        }

        // Open outside the lock so that slow opens do not block lookups of other tables.
        var opened = new Entry(this, Open(fileNumber));
        List<Entry>? toClose = null;
        Entry result;
        lock (_lock)
        {
            if (_disposed)
            {
                opened.Reader.Dispose();
                throw new ObjectDisposedException(nameof(TableCache));
            }
            if (_map.TryGetValue(fileNumber, out var raced))
            {
                (toClose ??= []).Add(opened); // another thread opened it first
                _lru.Remove(raced);
                _lru.AddFirst(raced);
                result = raced.Value;
            }
            else
            {
                opened.Node = _lru.AddFirst(opened);
                _map[fileNumber] = opened.Node;
                result = opened;
                while (_map.Count > _maxOpenFiles && _lru.Last is { } last)
                {
                    if (RemoveLocked(last.Value)) (toClose ??= []).Add(last.Value);
                }
            }
            result.RefCount++;
        }
        if (toClose != null) foreach (var e in toClose) e.Reader.Dispose();
        return new Lease(result);
    }

    public bool TryGet(ulong fileNumber, ReadOnlySpan<byte> lookupKey, out ulong sequence, out EntryType type, out byte[] value, bool fillCache = true)
    {
        using var lease = Acquire(fileNumber);
        return lease.Reader.TryGet(lookupKey, out sequence, out type, out value, fillCache);
    }

    /// <summary>An iterator over table <paramref name="fileNumber"/> that keeps its reader open until disposed.</summary>
    public IInternalIterator NewIterator(ulong fileNumber, bool fillCache = true)
    {
        var lease = Acquire(fileNumber);
        try
        {
            return new LeasedIterator(lease.Reader.NewIterator(fillCache), lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>Forgets a table that is being deleted: closes it once unused and drops its cached blocks.</summary>
    public void Evict(ulong fileNumber)
    {
        Entry? entry = null;
        bool close = false;
        lock (_lock)
        {
            if (_map.TryGetValue(fileNumber, out var node))
            {
                entry = node.Value;
                close = RemoveLocked(entry);
            }
        }
        if (entry == null) return;
        _blockCache?.EraseFile(entry.Reader.CacheId);
        if (close) entry.Reader.Dispose();
    }

    public void Dispose()
    {
        List<Entry> toClose = [];
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            while (_lru.First is { } first)
            {
                if (RemoveLocked(first.Value)) toClose.Add(first.Value);
            }
        }
        foreach (var e in toClose) e.Reader.Dispose();
    }

    private TableReader Open(ulong fileNumber)
    {
        var file = _fileSystem.OpenImmutable(Path.Combine(_dbDirectory, FileNames.Table(fileNumber)));
        try
        {
            return TableReader.Open(file, fileNumber, _blockCache, _counters);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Drops the cache's reference; returns true if that was the last one and the caller must close the reader.</summary>
    private bool RemoveLocked(Entry entry)
    {
        _map.Remove(entry.Reader.FileNumber);
        _lru.Remove(entry.Node!);
        return --entry.RefCount == 0;
    }

    private void Release(Entry entry)
    {
        bool close;
        lock (_lock) close = --entry.RefCount == 0;
        if (close) entry.Reader.Dispose();
    }

    /// <summary>A cached reader and its reference count.</summary>
    internal sealed class Entry(TableCache owner, TableReader reader)
    {
        public TableReader Reader { get; } = reader;
        public TableCache Owner { get; } = owner;
        public LinkedListNode<Entry>? Node { get; set; }

        /// <summary>One for being in the cache plus one per lease; guarded by the cache lock.</summary>
        public int RefCount { get; set; } = 1;
    }

    /// <summary>A reference to an open reader; disposing it releases the reference.</summary>
    internal readonly struct Lease : IDisposable
    {
        private readonly Entry _entry;

        internal Lease(Entry entry) => _entry = entry;

        public TableReader Reader => _entry.Reader;

        public void Dispose() => _entry?.Owner.Release(_entry);
    }

    /// <summary>Holds a lease for as long as the wrapped iterator lives.</summary>
    private sealed class LeasedIterator(IInternalIterator inner, Lease lease) : IInternalIterator
    {
        private bool _disposed;

        public bool Valid => inner.Valid;
        public ReadOnlySpan<byte> Key => inner.Key;
        public ReadOnlySpan<byte> Value => inner.Value;
        public void SeekToFirst() => inner.SeekToFirst();
        public void SeekToLast() => inner.SeekToLast();
        public void Seek(ReadOnlySpan<byte> target) => inner.Seek(target);
        public void Next() => inner.Next();
        public void Prev() => inner.Prev();

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            inner.Dispose();
            lease.Dispose();
        }
    }
}
