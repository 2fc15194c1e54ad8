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
/// Background work: flushing frozen memtables to L0 tables, compactions (background and manual), range
/// tombstones that drop or retire tables, and the loops and back-off that run them.
/// </summary>
public sealed partial class Db
{
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
        long started = Stopwatch.GetTimestamp();
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
            _counters.FlushTicks += Stopwatch.GetTimestamp() - started;
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
            _counters.CompactionTicks += Stopwatch.GetTimestamp() - started;
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
}
