using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.Wal;

namespace TieredKv.Storage.Inspection;

/// <summary>
/// Reads WAL segments and MANIFESTs offline with the engine's record reader: every record's
/// checksum, then its payload (a write batch with its sequence, or a version edit). Damage is
/// collected with its offset; the reader resumes at the next valid record.
/// </summary>
public static class LogInspector
{
    public static WalSummary InspectWal(string path, Action<long>? progress = null)
    {
        var corruptions = new List<Corruption>();
        long records = 0, puts = 0, deletions = 0, rangeDeletions = 0;
        ulong? first = null, last = null;
        Corruption? tornTail = null;
        using var file = new LocalFileSystem().OpenRandomAccess(path);
        var reader = new LogReader(file);
        ulong previousLast = 0;
        for (var status = reader.ReadNext(); status != LogReadStatus.EndOfFile; status = reader.ReadNext())
        {
            if (status != LogReadStatus.Record)
            {
                var damage = new Corruption(path, reader.Damage.Offset, $"{reader.Damage.Reason} ({reader.Damage.Length} bytes)");
                if (status == LogReadStatus.TornTail) tornTail = damage;
                else corruptions.Add(damage);
                continue;
            }
            string? problem = WalReplayer.Decode(reader.Payload, previousLast, out ulong firstSequence, out var batch);
            if (problem != null)
            {
                corruptions.Add(new Corruption(path, reader.RecordOffset, problem));
                continue;
            }
            records++;
            var ops = batch!.GetReader();
            while (ops.MoveNext())
            {
                switch (ops.Type)
                {
                    case EntryType.Value: puts++; break;
                    case EntryType.Deletion: deletions++; break;
                    default: rangeDeletions++; break;
                }
            }
            previousLast = firstSequence + (ulong)batch.Count - 1;
            first ??= firstSequence;
            last = previousLast;
            if (records % 4096 == 0) progress?.Invoke(reader.Position);
        }
        progress?.Invoke(reader.FileLength);
        return new WalSummary
        {
            File = path,
            FileSize = reader.FileLength,
            Records = records,
            Puts = puts,
            Deletions = deletions,
            RangeDeletions = rangeDeletions,
            FirstSequence = first,
            LastSequence = last,
            TornTail = tornTail,
            Corruptions = corruptions,
        };
    }

    public static ManifestSummary InspectManifest(string path)
    {
        var corruptions = new List<Corruption>();
        Corruption? tornTail = null;
        long edits = 0, added = 0, deleted = 0, tombstonesAdded = 0, tombstonesRemoved = 0;
        ulong? logNumber = null, nextFile = null, lastSequence = null;
        var live = new SortedDictionary<(int Level, ulong Number), long>();
        using var file = new LocalFileSystem().OpenRandomAccess(path);
        var reader = new LogReader(file);
        for (var status = reader.ReadNext(); status != LogReadStatus.EndOfFile; status = reader.ReadNext())
        {
            if (status != LogReadStatus.Record)
            {
                var damage = new Corruption(path, reader.Damage.Offset, $"{reader.Damage.Reason} ({reader.Damage.Length} bytes)");
                if (status == LogReadStatus.TornTail) tornTail = damage;
                else corruptions.Add(damage);
                continue;
            }
            VersionEdit edit;
            try
            {
                edit = VersionEdit.Decode(reader.Payload);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                corruptions.Add(new Corruption(path, reader.RecordOffset, $"malformed version edit: {e.Message}"));
                continue;
            }
            edits++;
            logNumber = edit.LogNumber ?? logNumber;
            nextFile = edit.NextFileNumber ?? nextFile;
            lastSequence = edit.LastSequence ?? lastSequence;
            foreach (var d in edit.DeletedFiles)
            {
                live.Remove(d);
                deleted++;
            }
            foreach (var (level, f) in edit.NewFiles)
            {
                live[(level, f.Number)] = f.Size;
                added++;
            }
            tombstonesAdded += edit.AddedRangeTombstones.Count;
            tombstonesRemoved += edit.RemovedRangeTombstones.Count;
        }
        int levels = live.Count == 0 ? 0 : live.Keys.Max(k => k.Level) + 1;
        var perLevel = Enumerable.Range(0, levels)
            .Select(l => (IReadOnlyList<(ulong, long)>)live.Where(e => e.Key.Level == l).Select(e => (e.Key.Number, e.Value)).ToList())
            .ToList();
        return new ManifestSummary
        {
            File = path,
            FileSize = reader.FileLength,
            Edits = edits,
            TablesAdded = added,
            TablesDeleted = deleted,
            RangeTombstonesAdded = tombstonesAdded,
            RangeTombstonesRemoved = tombstonesRemoved,
            LogNumber = logNumber,
            NextFileNumber = nextFile,
            LastSequence = lastSequence,
            LiveTables = perLevel,
            TornTail = tornTail,
            Corruptions = corruptions,
        };
    }
}
