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
/// The write path: writers queue, the leader commits the group to the WAL with one write and at most one
/// fsync and applies it to the memtable; deferred writes, WAL failures and Resume, memtable switches and
/// write stalls; the once-a-second WAL fsync of EverySec.
/// </summary>
public sealed partial class Db
{
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
                    long commitStart = Stopwatch.GetTimestamp();
                    _wal.Commit(sync: _walSync == WalSyncPolicy.Always);
                    Interlocked.Add(ref _counters.WalBytesWritten, _wal.Length - walBefore);
                    // The commit wrote every pending record, deferred ones before this group included.
                    AdvanceDurable((long)(seq - 1));
                    if (_walSync == WalSyncPolicy.Always)
                    {
                        Interlocked.Increment(ref _counters.WalSyncs);
                        Interlocked.Add(ref _counters.WalSyncTicks, Stopwatch.GetTimestamp() - commitStart);
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
                _fs.TryDelete(wal.Path, _logger);
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
}
