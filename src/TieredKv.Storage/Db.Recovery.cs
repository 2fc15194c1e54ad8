using Microsoft.Extensions.Logging;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.MemTables;
using TieredKv.Storage.Wal;

namespace TieredKv.Storage;

/// <summary>
/// Opening: recovery reads everything it needs (CURRENT, the manifest, every table's presence and size,
/// the WAL tail) before it writes anything, so that an open refused for damage leaves the directory as it
/// found it; and every file it creates has a durable name before anything depends on it.
/// </summary>
public sealed partial class Db
{
    /// <summary>
    /// Tables the manifest names that were missing or of the wrong size and that <see cref="WalRecoveryMode.Salvage"/>
    /// opened without: the data lost. Always empty under <see cref="WalRecoveryMode.Strict"/>, which refuses to open instead.
    /// </summary>
    public IReadOnlyList<LostTable> LostTables { get; } = [];

    /// <summary>Creates the database directory and makes its name durable in its parent (fsync of the parent).</summary>
    private void CreateDirectoryDurably(string directory)
    {
        _fs.CreateDirectory(directory);
        if (Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))) is { Length: > 0 } parent)
            _fs.SyncDirectory(parent);
    }

    /// <summary>A new, empty WAL segment whose name is durable before any write to it can be acknowledged.</summary>
    private WalWriter CreateWalSegment(ulong number)
    {
        string path = WalPath(number);
        var file = _fs.CreateWritable(path);
        try
        {
            _fs.SyncDirectory(_directory);
        }
        catch
        {
            file.Dispose();
            _fs.TryDelete(path, _logger);
            throw;
        }
        return new WalWriter(file, number);
    }

    /// <summary>
    /// Replays WAL segments not yet in tables into a memtable, then — everything read — cuts a torn tail,
    /// continues in a new manifest and opens a new segment for writes. A failure removes the tables this
    /// replay wrote, so the directory is left as it was found (save a torn tail already cut).
    /// </summary>
    private (MemTable Mem, WalWriter Wal) RecoverWal()
    {
        var files = _fs.ListFiles(_directory).Select(name => (Kind: FileNames.Parse(name, out ulong n), Number: n)).ToList();
        // Numbers of leftovers (tables of an unrecorded compaction, say) are never handed out again either.
        foreach (var f in files.Where(f => f.Kind != FileNames.Kind.Unknown)) _versions.MarkFileNumberUsed(f.Number);
        var segments = files.Where(f => f.Kind == FileNames.Kind.Wal && f.Number >= _versions.LogNumber).Select(f => f.Number).Order().ToList();

        ulong lastSeq = _versions.LastSequence;
        MemTable? mem = null;
        var flushed = new VersionEdit();
        WalReplayResult? last = null;
        WalWriter? wal = null;
        bool recorded = false;
        try
        {
            for (int i = 0; i < segments.Count; i++)
            {
                string path = WalPath(segments[i]);
                mem ??= new MemTable(segments[i]);
                last = WalReplayer.Replay(_fs, path, isLastSegment: i == segments.Count - 1, _options.WalRecovery, _logger, previousLastSequence: 0, (seq, batch) =>
                {
                    mem.Apply(seq, batch);
                    lastSeq = Math.Max(lastSeq, seq + (ulong)batch.Count - 1);
                    if (mem.ApproximateMemoryUsage >= _options.WriteBufferSize)
                    {
                        FlushDuringRecovery(mem, flushed);
                        mem = new MemTable(segments[i]);
                    }
                }, cutTornTail: false);
                _logger.LogInformation("replayed WAL {File}: {Batches} batches", FileNames.Wal(segments[i]), last.BatchesApplied);
            }

            // Everything is read and checked: from here on recovery writes.
            if (last?.TornTail is { } torn) WalReplayer.CutTornTail(_fs, last.Path, torn, _logger);
            _versions.LastSequence = lastSeq;
            _versions.StartNewManifest();
            ulong walNumber = _versions.NewFileNumber();
            wal = CreateWalSegment(walNumber);
            if (flushed.NewFiles.Count > 0 || flushed.AddedRangeTombstones.Count > 0)
            {
                // Part of the tail is in tables already: put the rest there too so the old segments can go.
                if (mem != null) FlushDuringRecovery(mem, flushed);
                flushed.LogNumber = walNumber;
                _versions.LogAndApply(flushed);
                recorded = true;
                mem = null;
            }
            foreach (var (_, f) in flushed.NewFiles) _tableWriter.Release(f.Number);
            Interlocked.Exchange(ref _lastSequence, (long)lastSeq);
            // Everything replayed was read from the disk.
            Interlocked.Exchange(ref _durableSequence, (long)lastSeq);
            Interlocked.Exchange(ref _syncedSequence, (long)lastSeq);
            return (mem ?? new MemTable(walNumber), wal);
        }
        catch
        {
            if (wal != null)
            {
                wal.Dispose();
                _fs.TryDelete(wal.Path, _logger);
            }
            // Recorded nowhere: remove them.
            if (!recorded)
                foreach (var (_, f) in flushed.NewFiles) _tableWriter.Delete(f.Number);
            throw;
        }
    }

    private void FlushDuringRecovery(MemTable mem, VersionEdit edit)
    {
        edit.AddedRangeTombstones.AddRange(mem.RangeTombstoneList);
        if (mem.EntryCount == 0) return;
        var output = _tableWriter.Start();
        try
        {
            using var it = mem.NewIterator();
            for (it.SeekToFirst(); it.Valid; it.Next()) output.Builder.Add(it.Key, it.Value);
            edit.AddFile(0, _tableWriter.Finish(output, tombstoneHorizon: 0));
        }
        catch
        {
            _tableWriter.Abandon(output);
            throw;
        }
    }
}
