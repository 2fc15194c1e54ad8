using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TieredKv.Storage.Compaction;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Iterators;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.MemTables;
using TieredKv.Storage.Table;
using TieredKv.Storage.Wal;

using Version = TieredKv.Storage.Manifest.Version;

namespace TieredKv.Storage;

/// <summary>
/// An LSM key-value store on one directory: a WAL for durability, a memtable for recent writes,
/// immutable SSTables organised in levels, and background flush and compaction. Thread-safe.
/// </summary>
/// <remarks>
/// Write path: <see cref="Write(WriteBatch)"/> queues the batch; the writer at the head of the queue (the
/// leader) takes the waiting batches as one group, appends them to the WAL with one write and at
/// most one fsync, inserts them into the memtable and releases the group.
/// Read path: memtable → frozen memtables → tables, newest first, through an immutable
/// <see cref="ReadState"/> swapped on every change so that reads take no lock.
/// </remarks>
public sealed partial class Db : IDisposable
{
    private const long MaxGroupBytes = 1 << 20;

    private readonly string _directory;
    private readonly DbOptions _options;
    private readonly IFileSystem _fs;
    private readonly ILogger _logger;
    private readonly IDisposable _lockFile;
    private readonly VersionSet _versions;
    private readonly BlockCache _blockCache;
    private readonly TableReadCounters _tableCounters = new();
    private readonly TableCache _tableCache;
    private readonly TableFileWriter _tableWriter;
    private readonly CompactionPicker _picker;
    private readonly Compactor _compactor;
    private readonly SnapshotList _snapshots = new();
    private readonly DbCounters _counters;

    // Guards the fields below and is the monitor that writers, stalled writers and background threads wait on.
    private readonly object _mutex = new();
    private readonly Queue<Writer> _writers = new();
    private readonly List<Writer> _group = [];
    private readonly System.Collections.Concurrent.ConcurrentBag<Writer> _writerPool = [];
    private MemTable _mem;
    private ImmutableList<MemTable> _imm = ImmutableList<MemTable>.Empty; // oldest first
    private ReadState _readState;
    private Exception? _backgroundError;
    private int _consecutiveBackgroundFailures;
    private const int MaxBackgroundBackoffMs = 1000;
    private bool _closing;
    private int _manualCompactions;

    private readonly Lock _walLock = new(); // the sync timer vs WAL rotation
    private readonly Lock _walWriteLock = new(); // appends and commits (leaders, deferred commits) vs rotation
    private WalWriter _wal;
    private Exception? _walError;
    private long _lastSequence;
    private long _durableSequence; // deferred writes up to here are committed (written, and fsynced under Always)
    private readonly Lock _syncLock = new(); // one group fsync at a time: whoever waits behind it finds its writes covered
    private readonly DurabilityWaiters _durabilityWaiters = new();
    private long _syncedSequence; // writes up to here are fsynced (or in tables): what a power cut cannot take

    private readonly Thread? _flushThread;
    private readonly Thread? _compactionThread;
    private readonly Thread? _syncThread, _groupCommitThread;
    private volatile WalSyncPolicy _walSync; // changes at run time (SetWalSync): read it, never _options.WalSync
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _compactionLock = new(); // one compaction at a time: background or manual

    private Db(string directory, DbOptions options)
    {
        _directory = directory;
        _options = options;
        _walSync = options.WalSync;
        _fs = options.FileSystem;
        _logger = options.LoggerFactory.CreateLogger("TieredKv.Storage");
        _counters = new DbCounters(options.NumLevels);

        // Decide before touching anything, so that a refused open leaves no trace.
        bool exists = _fs.FileExists(Path.Combine(directory, FileNames.Current));
        if (exists && options.ErrorIfExists) throw new IOException($"database {directory} already exists");
        if (!exists && !options.CreateIfMissing) throw new IOException($"database {directory} does not exist");
        if (!exists) CreateDirectoryDurably(directory);
        _lockFile = _fs.LockFile(Path.Combine(directory, FileNames.Lock));
        try
        {
            _versions = new VersionSet(directory, _fs,
                new LevelSizing(options.NumLevels, options.L0CompactionTrigger, options.MaxBytesForLevelBase, options.LevelSizeMultiplier), _logger);
            _blockCache = options.BlockCache ?? new BlockCache(options.BlockCacheBytes);
            _tableCache = new TableCache(directory, _fs, options.MaxOpenFiles, _blockCache, _tableCounters);
            _tableWriter = new TableFileWriter(directory, _fs,
                new TableBuilderOptions(options.BlockSize, options.BlockRestartInterval, options.Compression, options.BloomBitsPerKey), _versions);
            _picker = new CompactionPicker(options.TargetFileSize, _versions);
            _compactor = new Compactor(options.TargetFileSize, options.CompactionFilter, _tableCache, _tableWriter, _picker);

            if (exists)
            {
                LostTables = _versions.Recover(options.WalRecovery);
                (_mem, _wal) = RecoverWal();
            }
            else
            {
                _versions.CreateNew();
                ulong walNumber = _versions.NewFileNumber();
                (_mem, _wal) = (new MemTable(walNumber), CreateWalSegment(walNumber));
            }
            _readState = new ReadState(_mem, _imm, _versions.Current);
            lock (_mutex) DeleteObsoleteFiles();
        }
        catch
        {
            _tableCache?.Dispose();
            _versions?.Dispose();
            _lockFile.Dispose();
            throw;
        }

        if (options.BackgroundWork)
        {
            _flushThread = StartThread(FlushLoop, "tkv-flush");
            _compactionThread = StartThread(CompactionLoop, "tkv-compaction");
        }
        // Both run whatever the policy, each idle unless it is theirs: the policy may change while open.
        _syncThread = StartThread(SyncLoop, "tkv-wal-sync");
        _groupCommitThread = StartThread(GroupCommitLoop, "tkv-group-commit");
    }

    /// <summary>Opens (or creates) the database in <paramref name="directory"/>, replaying its WAL tail.</summary>
    public static Db Open(string directory, DbOptions? options = null) => new(directory, options ?? new DbOptions());

    public string Directory => _directory;

    /// <summary>The sequence number of the last acknowledged write.</summary>
    public ulong LastSequence => (ulong)Interlocked.Read(ref _lastSequence);

    // ---------------------------------------------------------------- reads

    /// <summary>The value of <paramref name="key"/>, or null when it does not exist.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var state = AcquireReadState();
        try
        {
            ulong readSeq = options.Snapshot?.Sequence ?? options.Sequence ?? LastSequence;
            // The lookup key lives on the stack for ordinary key sizes: a point read then allocates only its result.
            int lookupLength = key.Length + InternalKey.TrailerSize;
            Span<byte> lookup = lookupLength <= 256 ? stackalloc byte[256] : new byte[lookupLength];
            lookup = lookup[..lookupLength];
            InternalKey.Encode(lookup, key, readSeq, InternalKey.TypeForSeek);
            if (!TryGetNewest(state, lookup, options.FillCache, out ulong seq, out var type, out var value)) return null;
            if (type != EntryType.Value) return null;
            if (RangeTombstones.Hide(state.RangeTombstones, key, seq, readSeq)) return null;
            return value;
        }
        finally
        {
            state.Version.Unref();
        }
    }

    private bool TryGetNewest(ReadState state, ReadOnlySpan<byte> lookup, bool fillCache, out ulong seq, out EntryType type, out byte[] value)
    {
        if (state.Mem.TryGet(lookup, out seq, out type, out value)) return true;
        for (int i = state.Imm.Count - 1; i >= 0; i--)
            if (state.Imm[i].TryGet(lookup, out seq, out type, out value)) return true;
        var userKey = InternalKey.UserKey(lookup);
        foreach (var f in state.Version.FilesForKey(userKey))
            if (_tableCache.TryGet(f.Number, lookup, out seq, out type, out value, fillCache)) return true;
        return false;
    }

    /// <summary>A cursor over the database at the options' snapshot (or now), within the options' bounds. Dispose it.</summary>
    public DbIterator NewIterator(ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var state = AcquireReadState();
        try
        {
            ulong readSeq = options.Snapshot?.Sequence ?? options.Sequence ?? LastSequence;
            var children = new List<IInternalIterator> { state.Mem.NewIterator() };
            for (int i = state.Imm.Count - 1; i >= 0; i--) children.Add(state.Imm[i].NewIterator());
            foreach (var f in state.Version.Levels[0]) children.Add(_tableCache.NewIterator(f.Number, options.FillCache));
            for (int level = 1; level < state.Version.NumLevels; level++)
                if (state.Version.Levels[level].Count > 0)
                    children.Add(new LevelIterator(state.Version.Levels[level], _tableCache, options.FillCache));
            var version = state.Version;
            return new DbIterator(new MergingIterator([.. children]), readSeq, state.RangeTombstones, options.LowerBound, options.UpperBound, version.Unref);
        }
        catch
        {
            state.Version.Unref();
            throw;
        }
    }

    /// <summary>A point-in-time view for reads; compaction keeps what it can see until it is disposed.</summary>
    public Snapshot GetSnapshot() => _snapshots.Take(LastSequence);

    private ReadState AcquireReadState()
    {
        while (true)
        {
            var state = Volatile.Read(ref _readState);
            if (state.Version.TryRef()) return state;
        }
    }

    private void PublishReadState()
    {
        var old = _readState;
        _readState = new ReadState(_mem, _imm, _versions.Current);
        old.Version.Unref();
    }

    /// <summary>What reads start from: the memtables and the version current at one moment.</summary>
    private sealed class ReadState
    {
        public ReadState(MemTable mem, ImmutableList<MemTable> imm, Version version)
        {
            Mem = mem;
            Imm = imm;
            Version = version;
            version.Ref(); // released when the state is replaced
            var tombstones = new List<RangeTombstone>(version.RangeTombstones);
            foreach (var m in imm) tombstones.AddRange(m.RangeTombstoneList);
            _flushedAndFrozen = tombstones;
        }

        private readonly List<RangeTombstone> _flushedAndFrozen;

        public MemTable Mem { get; }
        public ImmutableList<MemTable> Imm { get; }
        public Version Version { get; }

        /// <summary>Every range tombstone; the live memtable's list is read fresh as it still grows.</summary>
        public IReadOnlyList<RangeTombstone> RangeTombstones
        {
            get
            {
                var live = Mem.RangeTombstoneList;
                if (live.Count == 0) return _flushedAndFrozen;
                return [.. _flushedAndFrozen, .. live];
            }
        }
    }

    // ---------------------------------------------------------------- statistics and shutdown

    public DbStatistics GetStatistics()
    {
        lock (_mutex)
        {
            var v = _versions.Current;
            var levels = new List<LevelStatistics>();
            for (int l = 0; l < v.NumLevels; l++)
                levels.Add(new LevelStatistics(l, v.Levels[l].Count, v.LevelBytes(l), l == 0 ? 0 : _versions.MaxBytesForLevel(l),
                    _counters.LevelBytesWritten[l], _counters.LevelBytesRead[l]));
            return new DbStatistics
            {
                Levels = levels,
                LastSequence = LastSequence,
                MemTableBytes = _mem.ApproximateMemoryUsage + _imm.Sum(m => m.ApproximateMemoryUsage),
                ImmutableMemTables = _imm.Count,
                Snapshots = _snapshots.Count,
                RangeTombstones = AllRangeTombstones().Count,
                UserBytesWritten = Interlocked.Read(ref _counters.UserBytesWritten),
                WalBytesWritten = Interlocked.Read(ref _counters.WalBytesWritten),
                WalSyncs = Interlocked.Read(ref _counters.WalSyncs),
                WalSyncWaits = Interlocked.Read(ref _counters.WalSyncWaits),
                WriteGroups = _counters.WriteGroups,
                WriteBatches = _counters.WriteBatches,
                FlushCount = _counters.FlushCount,
                FlushBytesWritten = _counters.FlushBytesWritten,
                CompactionCount = _counters.CompactionCount,
                TrivialMoves = _counters.TrivialMoves,
                FilesDroppedByRangeTombstones = _counters.FilesDroppedByRangeTombstones,
                CompactionEntriesDropped = _counters.CompactionEntriesDropped,
                StallSlowdowns = _counters.StallSlowdowns,
                StallStops = _counters.StallStops,
                StallMicros = _counters.StallMicros,
                BackgroundErrors = _counters.BackgroundErrors,
                WalSyncMicros = DbCounters.Micros(Interlocked.Read(ref _counters.WalSyncTicks)),
                FlushMicros = DbCounters.Micros(_counters.FlushTicks),
                CompactionMicros = DbCounters.Micros(_counters.CompactionTicks),
                LastBackgroundError = _backgroundError?.Message,
                WriteError = WriteError?.Message,
                BlockCacheHits = _blockCache.Hits,
                BlockCacheMisses = _blockCache.Misses,
                BlockCacheUsage = _blockCache.UsageBytes,
                BlockCacheCapacity = _blockCache.CapacityBytes,
                BloomChecks = _tableCounters.BloomChecks,
                BloomUseful = _tableCounters.BloomUseful,
                TableBlockReads = _tableCounters.BlockReadsFromDisk,
            };
        }
    }

    /// <summary>A description of the live tables per level, for debugging and tools.</summary>
    public string DescribeLevels()
    {
        lock (_mutex) return _versions.Current.ToString();
    }

    private void ThrowIfClosed()
    {
        if (_closing) throw new ObjectDisposedException(nameof(Db));
    }

    /// <summary>Stops background work (finishing pending flushes), makes the WAL durable and releases the directory.</summary>
    public void Dispose()
    {
        lock (_mutex)
        {
            if (_closing) return;
            _closing = true;
            Monitor.PulseAll(_mutex);
        }
        _shutdown.Cancel();
        _durabilityWaiters.Close();
        _compactionThread?.Join();
        _flushThread?.Join();
        _syncThread?.Join();
        _groupCommitThread?.Join();
        lock (_walWriteLock)
        lock (_walLock)
        {
            try { _wal.Commit(sync: _walSync != WalSyncPolicy.No); }
            catch (IOException e) { _logger.LogError(e, "final WAL sync failed"); }
            _wal.Dispose();
        }
        _readState.Version.Unref();
        _tableCache.Dispose();
        _versions.Dispose();
        _lockFile.Dispose();
        _shutdown.Dispose();
    }

    private static Thread StartThread(Action body, string name)
    {
        var t = new Thread(() => body()) { IsBackground = true, Name = name };
        t.Start();
        return t;
    }

    /// <summary>A caller waiting in the write queue. An empty batch is a barrier: it holds the queue for a memtable switch.</summary>
    private sealed class Writer
    {
        public WriteBatch OwnBatch { get; } = new();
        public WriteBatch Batch { get; set; } = null!;
        public bool IsBarrier => Batch.Count == 0;
        public bool Done { get; set; }

        /// <summary>Its WAL record may wait for <see cref="CommitDeferredWrites()"/>.</summary>
        public bool Deferred { get; set; }

        /// <summary>Set when this writer is done or at the head of the queue.</summary>
        public ManualResetEventSlim Wake { get; } = new(false);
        public Exception? Error { get; set; }

        public void Reset()
        {
            OwnBatch.Clear();
            Batch = null!;
            Done = false;
            Deferred = false;
            Error = null;
        }
    }
}
