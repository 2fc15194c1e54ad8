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
    private long _syncedSequence; // writes up to here are fsynced (or in tables): what a power cut cannot take

    private readonly Thread? _flushThread;
    private readonly Thread? _compactionThread;
    private readonly Thread? _syncThread;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _compactionLock = new(); // one compaction at a time: background or manual

    private Db(string directory, DbOptions options)
    {
        _directory = directory;
        _options = options;
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
            _versions = new VersionSet(directory, options, _logger);
            _blockCache = options.BlockCache ?? new BlockCache(options.BlockCacheBytes);
            _tableCache = new TableCache(directory, _fs, options.MaxOpenFiles, _blockCache, _tableCounters);
            _tableWriter = new TableFileWriter(directory, options, _versions);
            _picker = new CompactionPicker(options, _versions);
            _compactor = new Compactor(options, _tableCache, _tableWriter, _picker);

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
        if (options.WalSync == WalSyncPolicy.EverySec) _syncThread = StartThread(SyncLoop, "tkv-wal-sync");
    }

    /// <summary>Opens (or creates) the database in <paramref name="directory"/>, replaying its WAL tail.</summary>
    public static Db Open(string directory, DbOptions? options = null) => new(directory, options ?? new DbOptions());

    public string Directory => _directory;

    /// <summary>The sequence number of the last acknowledged write.</summary>
    public ulong LastSequence => (ulong)Interlocked.Read(ref _lastSequence);

    // ---------------------------------------------------------------- writes

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var w = RentWriter();
        w.OwnBatch.Put(key, value);
        Commit(w, w.OwnBatch);
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        var w = RentWriter();
        w.OwnBatch.Delete(key);
        Commit(w, w.OwnBatch);
    }

    /// <summary>Deletes every key in [<paramref name="begin"/>, <paramref name="end"/>) with one record: no per-key work now, and whole tables are dropped later without rewriting them.</summary>
    public void DeleteRange(ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end)
    {
        var w = RentWriter();
        w.OwnBatch.DeleteRange(begin, end);
        Commit(w, w.OwnBatch);
    }

    /// <summary>Applies the batch atomically and durably (per <see cref="DbOptions.WalSync"/>) before returning.</summary>
    public void Write(WriteBatch batch) => Write(batch, deferDurability: false);

    /// <summary>
    /// Applies the batch atomically. With <paramref name="deferDurability"/> its WAL record is only
    /// queued: the batch is visible at once, but durable only after <see cref="CommitDeferredWrites()"/>
    /// (or any later write that is not deferred) — so a server can acknowledge a whole pipeline of
    /// writes with one WAL write, as Redis writes its AOF once per event-loop turn.
    /// </summary>
    public void Write(WriteBatch batch, bool deferDurability)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) return;
        var w = RentWriter();
        w.Deferred = deferDurability;
        Commit(w, batch);
    }

    /// <summary>Makes every deferred write durable (per <see cref="DbOptions.WalSync"/>): one WAL write, and one fsync under Always.</summary>
    public void CommitDeferredWrites() => CommitDeferredWrites(LastSequence);

    /// <summary>
    /// Makes deferred writes up to <paramref name="sequence"/> durable. Group commit: when another
    /// caller's commit already covered them, returns without touching the file.
    /// </summary>
    public void CommitDeferredWrites(ulong sequence)
    {
        if (Volatile.Read(ref _durableSequence) >= (long)sequence) return;
        lock (_walWriteLock)
        {
            if (_durableSequence >= (long)sequence) return;
            if (_walError != null) throw WritesRefused();
            long appended = (long)LastSequence; // under this lock: the last record in the WAL
            if (_wal.PendingBytes == 0)
            {
                Volatile.Write(ref _durableSequence, appended);
                if (_options.WalSync == WalSyncPolicy.Always) AdvanceSynced(appended);
                return;
            }
            try
            {
                long before = _wal.Length - _wal.PendingBytes;
                _wal.Commit(sync: _options.WalSync == WalSyncPolicy.Always);
                Interlocked.Add(ref _counters.WalBytesWritten, _wal.Length - before);
                if (_options.WalSync == WalSyncPolicy.Always) Interlocked.Increment(ref _counters.WalSyncs);
                Volatile.Write(ref _durableSequence, appended);
                if (_options.WalSync == WalSyncPolicy.Always) AdvanceSynced(appended);
            }
            catch (Exception e)
            {
                throw OnWalFailure(e);
            }
        }
    }

    /// <summary>
    /// The WAL failure that stops writes (every write throws <see cref="StorageWriteException"/>
    /// until <see cref="Resume"/> succeeds), or null when writes are accepted. Reads keep working.
    /// </summary>
    public Exception? WriteError => Volatile.Read(ref _walError);

    /// <summary>
    /// Accepts writes again after a WAL failure, as RocksDB's Resume: cuts the failed segment back to
    /// its last whole record (so recovery never meets a torn record that is not at the very end),
    /// starts a new segment, and freezes the memtable so the old segment's data goes to a table.
    /// Throws (and writes stay refused) while the disk still fails. Does nothing when writes are accepted.
    /// </summary>
    /// <remarks>
    /// Writes that failed were never applied, except deferred ones (<see cref="Write(WriteBatch, bool)"/>)
    /// whose commit failed: they were visible before the failure, stay visible, and reach a table when the
    /// frozen memtable is flushed — as Redis keeps a command executed before its AOF write failed.
    /// </remarks>
    public void Resume()
    {
        lock (_mutex)
        {
            ThrowIfClosed();
            if (_walError == null) return;
        }
        // Hold the head of the write queue: no leader is writing while the segment changes.
        var barrier = new Writer { Batch = new WriteBatch() };
        WaitToLead(barrier);
        try
        {
            lock (_mutex)
            {
                try
                {
                    if (_wal.HasFailed) ReplaceFailedWal();
                }
                finally
                {
                    _writers.Dequeue();
                    WakeHead();
                }
            }
            // Writes still refused: what was visible before the failure but is in no WAL segment any
            // more (deferred writes) reaches a table before new writes are taken.
            WaitForFrozenMemTables();
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            _logger.LogError(e, "resuming writes failed; the database still refuses writes");
            throw new StorageWriteException($"writes still refused: resuming after the WAL failure failed: {e.Message}", e);
        }
        lock (_mutex)
        {
            _logger.LogWarning("writes resumed after a WAL failure ({Reason})", _walError?.Message);
            Volatile.Write(ref _walError, null);
            Monitor.PulseAll(_mutex);
        }
    }

    /// <summary>Cuts the failed segment back, then moves writes to a new segment and a new memtable. Caller holds the mutex and the head of the write queue.</summary>
    private void ReplaceFailedWal()
    {
        lock (_walWriteLock)
        {
            var failed = _wal;
            // Closing a failed writer writes nothing more of its own; a buffer the OS refused may be retried, and the cut removes it.
            try { lock (_walLock) failed.Dispose(); }
            catch (IOException e) { _logger.LogWarning(e, "closing the failed WAL segment {File}", failed.Path); }
            _fs.TruncateFile(failed.Path, failed.GoodLength);
            ulong number = _versions.NewFileNumber();
            var wal = CreateWalSegment(number);
            lock (_walLock) _wal = wal;
            _imm = _imm.Add(_mem);
            _mem = new MemTable(number);
            PublishReadState();
        }
        Monitor.PulseAll(_mutex); // the flush thread waits for frozen memtables, and Resume waits for it
    }

    /// <summary>Records a WAL failure (writes are refused from now on) and returns the exception for the caller.</summary>
    private StorageWriteException OnWalFailure(Exception e)
    {
        if (e is StorageWriteException refused) return refused;
        if (Interlocked.CompareExchange(ref _walError, e, null) == null)
            _logger.LogError(e, "WAL write failed; the database refuses writes until Resume");
        return new StorageWriteException($"write failed and was not applied: {e.Message}", e);
    }

    private StorageWriteException WritesRefused() =>
        new($"writes refused after a WAL failure: {_walError?.Message}", _walError);

    // Writers (and the single-operation batches of Put and Delete) are reused: no allocation per write.
    private Writer RentWriter() => _writerPool.TryTake(out var w) ? w : new Writer();

    private void Commit(Writer w, WriteBatch batch)
    {
        w.Batch = batch;
        try
        {
            if (!(w.Deferred && TryWriteDirect(batch))) CommitQueued(w);
        }
        finally
        {
            // A writer whose own batch grew large (a big value) is left to the GC rather than kept.
            if (w.OwnBatch.ByteSize <= 64 * 1024)
            {
                w.Reset();
                _writerPool.Add(w);
            }
        }
    }

    private void CommitQueued(Writer w)
    {
        List<Writer> group;
        WaitToLead(w);
        if (w.Done)
        {
            if (w.Error != null) throw new StorageWriteException($"write failed and was not applied: {w.Error.Message}", w.Error);
            return;
        }
        lock (_mutex)
        {
            try
            {
                ThrowIfClosed();
                MakeRoomForWrite();
            }
            catch
            {
                _writers.Dequeue();
                WakeHead();
                throw;
            }
            group = BuildGroup();
        }

        // Only the leader runs here among queued writers; direct (deferred) writers share the WAL lock.
        Exception? error = null;
        try
        {
            lock (_walWriteLock)
            {
                ulong first = LastSequence + 1, seq = first;
                bool deferred = group.TrueForAll(g => g.Deferred);
                // Committed bytes only: added-but-uncommitted (deferred) ones are counted when written.
                long walBefore = _wal.Length - _wal.PendingBytes;
                foreach (var g in group)
                {
                    _wal.AddBatch(seq, g.Batch.Representation);
                    seq += (ulong)g.Batch.Count;
                }
                if (!deferred)
                {
                    _wal.Commit(sync: _options.WalSync == WalSyncPolicy.Always);
                    Interlocked.Add(ref _counters.WalBytesWritten, _wal.Length - walBefore);
                    // The commit wrote every pending record, deferred ones before this group included.
                    Volatile.Write(ref _durableSequence, (long)(seq - 1));
                    if (_options.WalSync == WalSyncPolicy.Always)
                    {
                        Interlocked.Increment(ref _counters.WalSyncs);
                        AdvanceSynced((long)(seq - 1));
                    }
                }
                seq = first;
                foreach (var g in group)
                {
                    _mem.Apply(seq, g.Batch);
                    seq += (ulong)g.Batch.Count;
                    Interlocked.Add(ref _counters.UserBytesWritten, g.Batch.ByteSize);
                }
                Interlocked.Exchange(ref _lastSequence, (long)(seq - 1));
                Interlocked.Increment(ref _counters.WriteGroups);
                Interlocked.Add(ref _counters.WriteBatches, group.Count);
            }
        }
        catch (Exception e)
        {
            // The WAL may now end in a partial record: refuse further writes until Resume cuts it off.
            error = e;
            OnWalFailure(e);
        }

        lock (_mutex)
        {
            foreach (var g in group)
            {
                _writers.Dequeue();
                g.Error = error;
                g.Done = true;
                if (!ReferenceEquals(g, w)) g.Wake.Set();
            }
            WakeHead();
        }
        if (error != null) throw new StorageWriteException($"write failed and was not applied: {error.Message}", error);
    }

    /// <summary>
    /// The fast path of a deferred write: with room in the memtable and L0 not backing up, the
    /// caller appends its record and applies it under the WAL lock alone — no queue, no hand-off to
    /// a leader, no wake-ups. False sends it down the queued path (stalls, memtable switches, errors).
    /// </summary>
    private bool TryWriteDirect(WriteBatch batch)
    {
        if (_walError != null || _closing) return false;
        if (_versions.Current.Levels[0].Count >= _options.L0SlowdownTrigger) return false;
        lock (_walWriteLock)
        {
            if (_mem.ApproximateMemoryUsage >= _options.WriteBufferSize) return false;
            ulong first = LastSequence + 1;
            try
            {
                _wal.AddBatch(first, batch.Representation);
                _mem.Apply(first, batch);
            }
            catch (Exception e)
            {
                throw OnWalFailure(e);
            }
            Interlocked.Exchange(ref _lastSequence, (long)(first + (ulong)batch.Count - 1));
        }
        Interlocked.Add(ref _counters.UserBytesWritten, batch.ByteSize);
        Interlocked.Increment(ref _counters.WriteGroups);
        Interlocked.Increment(ref _counters.WriteBatches);
        return true;
    }

    /// <summary>
    /// Queues <paramref name="w"/> and returns once it is at the head of the queue (it leads the next
    /// group) or a leader has written it. Each writer sleeps on its own event and is woken alone:
    /// waking every queued writer on every group costs a context switch per writer per group.
    /// </summary>
    private void WaitToLead(Writer w)
    {
        bool leading;
        lock (_mutex)
        {
            _writers.Enqueue(w);
            leading = ReferenceEquals(_writers.Peek(), w);
            if (!leading) w.Wake.Reset();
        }
        while (!leading)
        {
            w.Wake.Wait();
            lock (_mutex)
            {
                if (w.Done) return;
                leading = ReferenceEquals(_writers.Peek(), w);
                if (!leading) w.Wake.Reset();
            }
        }
    }

    /// <summary>Wakes the writer now at the head of the queue, which leads the next group. Caller holds the mutex.</summary>
    private void WakeHead()
    {
        if (_writers.Count > 0) _writers.Peek().Wake.Set();
    }

    /// <summary>The leader and the writers queued behind it, up to a size cap and the first barrier.</summary>
    private List<Writer> BuildGroup()
    {
        // One leader at a time, and it is done with the list before the next can build one.
        var group = _group;
        group.Clear();
        long bytes = 0;
        foreach (var w in _writers)
        {
            if (group.Count > 0 && (w.IsBarrier || bytes + w.Batch.ByteSize > MaxGroupBytes)) break;
            group.Add(w);
            bytes += w.Batch.ByteSize;
        }
        return group;
    }

    /// <summary>
    /// Called by the leader under the mutex. Slows writes (1 ms once) when L0 is getting deep, waits
    /// when it is too deep or the frozen memtables are not flushed yet, and freezes a full memtable.
    /// </summary>
    private void MakeRoomForWrite()
    {
        bool allowDelay = true;
        while (true)
        {
            if (_walError != null) throw WritesRefused();
            int l0 = _versions.Current.Levels[0].Count;
            if (allowDelay && l0 >= _options.L0SlowdownTrigger)
            {
                _counters.StallSlowdowns++;
                long start = Stopwatch.GetTimestamp();
                Monitor.Exit(_mutex);
                try { Thread.Sleep(1); }
                finally { Monitor.Enter(_mutex); }
                _counters.StallMicros += (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                allowDelay = false;
            }
            else if (_mem.ApproximateMemoryUsage < _options.WriteBufferSize)
            {
                return;
            }
            else if (_imm.Count >= _options.MaxImmutableMemTables || l0 >= _options.L0StopTrigger)
            {
                WaitForBackgroundWork(flushFirst: _imm.Count >= _options.MaxImmutableMemTables);
            }
            else
            {
                SwitchMemTable();
            }
        }
    }

    /// <summary>Stalls the writer until background work makes room. Without background threads the work runs here.</summary>
    private void WaitForBackgroundWork(bool flushFirst)
    {
        _counters.StallStops++;
        long start = Stopwatch.GetTimestamp();
        if (!_options.BackgroundWork)
        {
            Monitor.Exit(_mutex);
            try
            {
                if (flushFirst) FlushPendingMemTables();
                else RunOneCompaction(CancellationToken.None);
            }
            finally { Monitor.Enter(_mutex); }
        }
        else
        {
            // Refuse the write if background work fails while it waits; an older failure may be retried successfully now.
            long errorsBefore = _counters.BackgroundErrors;
            ThrowIfClosed();
            Monitor.Wait(_mutex, 100);
            if (_counters.BackgroundErrors != errorsBefore && _backgroundError != null)
                throw new StorageWriteException($"write not applied: writes are stalled and background work is failing: {_backgroundError.Message}", _backgroundError);
        }
        _counters.StallMicros += (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    /// <summary>Freezes the memtable and starts a new WAL segment for its successor. Caller holds the mutex.</summary>
    private void SwitchMemTable()
    {
        if (_walError != null) throw WritesRefused();
        ulong number = _versions.NewFileNumber();
        var wal = CreateWalSegment(number);
        WalWriter old;
        lock (_walWriteLock)
        {
            old = _wal;
            // The frozen segment is complete (deferred records included): make it durable, policy No
            // included, so only the newest segment can have a torn tail. Before the swap: if this
            // fails, writes stop with the old segment still current, and Resume cuts it back.
            long before = old.Length - old.PendingBytes;
            try
            {
                old.Commit(sync: true);
            }
            catch (Exception e)
            {
                wal.Dispose();
                TryDelete(wal.Path);
                throw OnWalFailure(e);
            }
            Interlocked.Add(ref _counters.WalBytesWritten, old.Length - before);
            AdvanceSynced((long)LastSequence); // every record so far is in the segment just fsynced
            lock (_walLock) _wal = wal;
            // Direct writers pair the WAL and the memtable under this lock: switch both together, and
            // publish the read state before any write reaches the new memtable, or a read could miss it.
            _imm = _imm.Add(_mem);
            _mem = new MemTable(number);
            PublishReadState();
        }
        old.Dispose();
        Monitor.PulseAll(_mutex);
    }

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
            return new DbIterator(new MergingIterator([.. children]), readSeq, state.RangeTombstones, options, version.Unref);
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

    // ---------------------------------------------------------------- flush and compaction

    /// <summary>Freezes the memtable (if it holds anything) and waits until every frozen memtable is in a table.</summary>
    public void Flush()
    {
        lock (_mutex)
        {
            ThrowIfClosed();
        }
        // Take the head of the write queue, so that the frozen memtable holds every acknowledged write.
        var barrier = new Writer { Batch = new WriteBatch() };
        WaitToLead(barrier);
        lock (_mutex)
        {
            try
            {
                if (!_mem.IsEmpty) SwitchMemTable();
            }
            finally
            {
                _writers.Dequeue();
                WakeHead();
            }
        }
        WaitForFrozenMemTables();
    }

    /// <summary>Returns once every frozen memtable is in a table: flushes them here without background threads, else waits for the flush thread.</summary>
    private void WaitForFrozenMemTables()
    {
        if (!_options.BackgroundWork)
        {
            FlushPendingMemTables();
            return;
        }
        lock (_mutex)
        {
            // Only a failure while this call waits counts: an earlier one may be retried successfully now.
            long errorsBefore = _counters.BackgroundErrors;
            while (_imm.Count > 0)
            {
                if (_counters.BackgroundErrors != errorsBefore && _backgroundError != null)
                    throw new IOException($"flush failed: {_backgroundError.Message}", _backgroundError);
                ThrowIfClosed();
                Monitor.Wait(_mutex, 100);
            }
        }
    }

    /// <summary>
    /// Compacts every table overlapping [<paramref name="begin"/>, <paramref name="end"/>] (null = unbounded)
    /// down to the last non-empty level, applying deletions, range tombstones and the compaction filter.
    /// </summary>
    public void CompactRange(byte[]? begin = null, byte[]? end = null)
    {
        Flush();
        Interlocked.Increment(ref _manualCompactions);
        try
        {
            lock (_compactionLock)
            {
                DropFilesUnderRangeTombstones();
                int deepest;
                lock (_mutex) deepest = DeepestNonEmptyLevel(_versions.Current);
                for (int level = 0; level <= deepest; level++)
                {
                    CompactionPlan? c;
                    lock (_mutex)
                    {
                        // The deepest level compacts into itself, which still drops deletions and filtered entries.
                        int output = level < deepest ? level + 1 : Math.Max(level, 1);
                        c = _picker.PickRange(_versions.Current, level, output, begin, end, AllRangeTombstones(), OldestReadSequence());
                    }
                    if (c != null) RunCompaction(c, CancellationToken.None, rewrite: true);
                }
                RetireRangeTombstones();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _manualCompactions);
        }
    }

    private static int DeepestNonEmptyLevel(Version v)
    {
        for (int level = v.NumLevels - 1; level > 0; level--)
            if (v.Levels[level].Count > 0) return level;
        return 0;
    }

    private void FlushPendingMemTables()
    {
        while (true)
        {
            MemTable? imm;
            lock (_mutex) imm = _imm.IsEmpty ? null : _imm[0];
            if (imm == null) return;
            FlushMemTable(imm);
        }
    }

    /// <summary>Writes the oldest frozen memtable to an L0 table and records it, with its range tombstones and the new WAL horizon.</summary>
    private void FlushMemTable(MemTable imm)
    {
        FileMetaData? meta = null;
        if (imm.EntryCount > 0)
        {
            var output = _tableWriter.Start();
            try
            {
                using var it = imm.NewIterator();
                for (it.SeekToFirst(); it.Valid; it.Next()) output.Builder.Add(it.Key, it.Value);
                meta = _tableWriter.Finish(output, tombstoneHorizon: 0);
            }
            catch
            {
                _tableWriter.Abandon(output);
                throw;
            }
        }

        lock (_mutex)
        {
            var edit = new VersionEdit();
            if (meta != null) edit.AddFile(0, meta);
            edit.AddedRangeTombstones.AddRange(imm.RangeTombstoneList);
            // Data of WAL segments before the next memtable's first segment is now in tables.
            edit.LogNumber = _imm.Count > 1 ? _imm[1].WalNumber : _mem.WalNumber;
            _versions.LastSequence = LastSequence;
            try
            {
                _versions.LogAndApply(edit);
            }
            finally
            {
                if (meta != null) _tableWriter.Release(meta.Number);
            }
            _imm = _imm.RemoveAt(0);
            PublishReadState();
            _counters.FlushCount++;
            if (meta != null)
            {
                _counters.FlushBytesWritten += meta.Size;
                _counters.LevelBytesWritten[0] += meta.Size;
            }
            DeleteObsoleteFiles();
            Monitor.PulseAll(_mutex);
        }
        if (meta != null) _logger.LogDebug("flushed memtable to table #{Number} ({Bytes} bytes, {Entries} entries)", meta.Number, meta.Size, meta.EntryCount);
    }

    /// <summary>Picks and runs one compaction; false when there was nothing to do.</summary>
    /// <summary>Test hook: one background compaction step now, without the flush a manual compaction starts with.</summary>
    internal bool RunOneCompaction() => RunOneCompaction(CancellationToken.None);

    private bool RunOneCompaction(CancellationToken cancel)
    {
        lock (_compactionLock)
        {
            if (DropFilesUnderRangeTombstones()) return true;
            CompactionPlan? c;
            lock (_mutex) c = _picker.Pick(_versions.Current, AllRangeTombstones(), OldestReadSequence());
            if (c == null) return RetireRangeTombstones();
            RunCompaction(c, cancel);
            return true;
        }
    }

    /// <param name="rewrite">A manual compaction rewrites even a table that could move down alone, as LevelDB's do: it must apply the filter and deletions to everything.</param>
    private void RunCompaction(CompactionPlan c, CancellationToken cancel, bool rewrite = false)
    {
        if (!rewrite && c.IsTrivialMove(_picker.MaxGrandparentOverlapBytes))
        {
            var f = c.Inputs[0];
            var move = new VersionEdit();
            move.DeleteFile(c.Level, f.Number);
            move.AddFile(c.OutputLevel, f);
            move.CompactPointers.Add((c.Level, f.Largest));
            lock (_mutex)
            {
                _versions.LogAndApply(move);
                PublishReadState();
                _counters.TrivialMoves++;
                Monitor.PulseAll(_mutex);
            }
            _logger.LogDebug("moved table #{Number} from L{From} to L{To}", f.Number, c.Level, c.OutputLevel);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var result = _compactor.Run(c, cancel);
        var edit = new VersionEdit();
        foreach (var f in c.Inputs) edit.DeleteFile(c.Level, f.Number);
        foreach (var f in c.OutputLevelInputs) edit.DeleteFile(c.OutputLevel, f.Number);
        foreach (var f in result.Outputs) edit.AddFile(c.OutputLevel, f);
        if (c.Level > 0 && c.Inputs.Count > 0) edit.CompactPointers.Add((c.Level, c.Inputs[^1].Largest));
        lock (_mutex)
        {
            try
            {
                _versions.LogAndApply(edit);
            }
            finally
            {
                foreach (var f in result.Outputs) _tableWriter.Release(f.Number);
            }
            PublishReadState();
            _counters.CompactionCount++;
            _counters.CompactionEntriesDropped += result.EntriesDropped;
            _counters.LevelBytesWritten[c.OutputLevel] += result.BytesWritten;
            _counters.LevelBytesRead[c.Level] += c.Inputs.Sum(f => f.Size);
            _counters.LevelBytesRead[c.OutputLevel] += c.OutputLevelInputs.Sum(f => f.Size);
            DeleteObsoleteFiles();
            Monitor.PulseAll(_mutex);
        }
        _logger.LogDebug("compacted {Inputs} tables L{From}→L{To} ({Reason}): {Read} bytes read, {Written} written, {Dropped} entries dropped in {Ms:F0} ms",
            c.AllInputs.Count(), c.Level, c.OutputLevel, c.Reason, result.BytesRead, result.BytesWritten, result.EntriesDropped,
            Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Deletes, by a manifest edit alone, tables that a range tombstone wholly covers.</summary>
    private bool DropFilesUnderRangeTombstones()
    {
        lock (_mutex)
        {
            var v = _versions.Current;
            var dropped = _picker.FilesDroppedByTombstones(v, v.RangeTombstones, OldestReadSequence());
            if (dropped.Count == 0) return false;
            var edit = new VersionEdit();
            foreach (var (level, f) in dropped) edit.DeleteFile(level, f.Number);
            _versions.LogAndApply(edit);
            PublishReadState();
            _counters.FilesDroppedByRangeTombstones += dropped.Count;
            DeleteObsoleteFiles();
            Monitor.PulseAll(_mutex);
            _logger.LogDebug("dropped {Count} tables under range tombstones", dropped.Count);
            return true;
        }
    }

    /// <summary>Forgets flushed range tombstones once no table can hold data they hide.</summary>
    private bool RetireRangeTombstones()
    {
        lock (_mutex)
        {
            var retirable = _picker.RetirableTombstones(_versions.Current, OldestReadSequence());
            if (retirable.Count == 0) return false;
            var edit = new VersionEdit();
            edit.RemovedRangeTombstones.AddRange(retirable.Select(t => t.Sequence));
            _versions.LogAndApply(edit);
            PublishReadState();
            return true;
        }
    }

    /// <summary>Range tombstones of the version and of every memtable. Caller holds the mutex.</summary>
    private List<RangeTombstone> AllRangeTombstones()
    {
        var all = new List<RangeTombstone>(_versions.Current.RangeTombstones);
        foreach (var m in _imm) all.AddRange(m.RangeTombstoneList);
        all.AddRange(_mem.RangeTombstoneList);
        return all;
    }

    /// <summary>
    /// The oldest sequence compaction must keep readable: the oldest snapshot's, and never past what is fsynced.
    /// Compaction output is durable, so it may only act on durable history: dropping entries under a deletion
    /// (or a compaction filter's verdict read at this sequence) that a power cut could still take back would
    /// leave a state that is no prefix of the writes — under EverySec, the deletion lost but its effect kept.
    /// </summary>
    private ulong OldestReadSequence() => Math.Min(_snapshots.Oldest(LastSequence), (ulong)Interlocked.Read(ref _syncedSequence));

    private void AdvanceSynced(long sequence)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _syncedSequence)) < sequence)
            Interlocked.CompareExchange(ref _syncedSequence, sequence, seen);
    }

    private void FlushLoop()
    {
        while (true)
        {
            MemTable? imm;
            lock (_mutex)
            {
                while (_imm.IsEmpty && !_closing) Monitor.Wait(_mutex);
                if (_imm.IsEmpty) return; // closing with nothing left to flush
                imm = _imm[0];
            }
            try
            {
                FlushMemTable(imm);
                ClearBackgroundError();
            }
            catch (Exception e)
            {
                if (OnBackgroundError(e, "flush")) return;
            }
        }
    }

    private void CompactionLoop()
    {
        while (!_shutdown.IsCancellationRequested)
        {
            bool worked;
            try
            {
                worked = Volatile.Read(ref _manualCompactions) == 0 && RunOneCompaction(_shutdown.Token);
                if (worked) ClearBackgroundError();
            }
            catch (OperationCanceledException) when (_shutdown.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                if (OnBackgroundError(e, "compaction")) return;
                worked = false;
            }
            if (!worked)
            {
                lock (_mutex)
                {
                    if (_closing) return;
                    Monitor.Wait(_mutex, 1000);
                }
            }
        }
    }

    /// <summary>
    /// Records and logs a background failure, then backs off before the retry: 10 ms doubling per
    /// consecutive failure up to 1 s, so a disk that fills up is not hammered but one that recovers
    /// is noticed soon. True when the database is closing.
    /// </summary>
    private bool OnBackgroundError(Exception e, string what)
    {
        int failures = Interlocked.Increment(ref _consecutiveBackgroundFailures);
        int backoffMs = (int)Math.Min(MaxBackgroundBackoffMs, 10L << Math.Min(failures - 1, 20));
        _logger.LogError(e, "background {What} failed (failure {Count} in a row); retrying in {Backoff} ms", what, failures, backoffMs);
        lock (_mutex)
        {
            _backgroundError = e;
            _counters.BackgroundErrors++;
            Monitor.PulseAll(_mutex);
            if (_closing) return true;
            Monitor.Wait(_mutex, backoffMs);
            return _closing;
        }
    }

    private void ClearBackgroundError()
    {
        Interlocked.Exchange(ref _consecutiveBackgroundFailures, 0);
        if (_backgroundError == null) return;
        lock (_mutex) _backgroundError = null;
        _logger.LogInformation("background work succeeded again");
    }

    private void TryDelete(string path)
    {
        try { _fs.DeleteFile(path); }
        catch (IOException e) { _logger.LogWarning(e, "could not delete {File}", path); }
    }

    private void SyncLoop()
    {
        while (!_shutdown.Token.WaitHandle.WaitOne(_options.WalSyncInterval))
        {
            if (WriteError != null) continue; // nothing more is written until Resume
            try
            {
                CommitDeferredWrites(); // deferred records nobody committed still reach the disk within the second
                long written = Volatile.Read(ref _durableSequence); // in this segment or an older one, fsynced when it closed
                lock (_walLock) _wal.Sync();
                AdvanceSynced(written);
                Interlocked.Increment(ref _counters.WalSyncs);
            }
            catch (Exception e)
            {
                // Writes acknowledged since the last fsync may not be durable: stop taking more (Redis does the same).
                OnWalFailure(e);
                lock (_mutex) _counters.BackgroundErrors++;
            }
        }
    }

    /// <summary>Deletes files no version, pending output or WAL horizon needs. Caller holds the mutex.</summary>
    private void DeleteObsoleteFiles()
    {
        var live = _versions.LiveFiles();
        ulong logNumber = _versions.LogNumber;
        foreach (var name in _fs.ListFiles(_directory))
        {
            bool keep = FileNames.Parse(name, out ulong number) switch
            {
                FileNames.Kind.Wal => number >= logNumber,
                FileNames.Kind.Table => live.Contains(number) || _tableWriter.IsPending(number),
                FileNames.Kind.Manifest => number >= _versions.ManifestNumber,
                FileNames.Kind.Temp => false,
                _ => true,
            };
            if (keep) continue;
            try
            {
                if (FileNames.Parse(name, out _) == FileNames.Kind.Table) _tableCache.Evict(number);
                _fs.DeleteFile(Path.Combine(_directory, name));
            }
            catch (IOException e)
            {
                _logger.LogWarning(e, "could not delete obsolete file {Name}", name);
            }
        }
    }

    private string WalPath(ulong number) => Path.Combine(_directory, FileNames.Wal(number));

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
        _compactionThread?.Join();
        _flushThread?.Join();
        _syncThread?.Join();
        lock (_walWriteLock)
        lock (_walLock)
        {
            try { _wal.Commit(sync: _options.WalSync != WalSyncPolicy.No); }
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
