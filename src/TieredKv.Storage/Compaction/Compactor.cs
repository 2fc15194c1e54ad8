using TieredKv.Storage.Format;
using TieredKv.Storage.Iterators;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Compaction;

/// <summary>
/// Merges a compaction's input tables into new tables at the output level, dropping what no
/// reader can see any more: versions shadowed by a newer one older than every snapshot, deletion
/// markers with nothing left below them, data hidden by range tombstones, and whatever the
/// compaction filter removes.
/// </summary>
internal sealed class Compactor(long targetFileSize, ICompactionFilter? compactionFilter, TableCache tableCache, TableFileWriter writer, CompactionPicker picker)
{
    /// <summary>The outcome: the new tables and the bytes moved.</summary>
    public sealed record Result(List<FileMetaData> Outputs, long BytesRead, long BytesWritten, long EntriesDropped);

    public Result Run(CompactionPlan c, CancellationToken cancel)
    {
        ulong oldestReadSequence = c.OldestReadSequence;
        var version = c.InputVersion;
        var children = new List<IInternalIterator>();
        foreach (var f in c.AllInputs) children.Add(tableCache.NewIterator(f.Number, fillCache: false));
        using var input = new MergingIterator([.. children]);

        var outputs = new List<FileMetaData>();
        TableFileWriter.Output? output = null;
        long dropped = 0;
        bool bottommost = IsBottommost(c);
        var filterContext = new CompactionFilterContext(c.OutputLevel, bottommost, oldestReadSequence);
        var tombstones = c.RangeTombstones;

        byte[] currentUserKey = [];
        bool hasCurrentUserKey = false;
        ulong lastSequenceForKey = InternalKey.MaxSequence;
        long grandparentOverlap = 0;
        int grandparentIndex = 0;
        var keyBuffer = new byte[64];

        try
        {
            for (input.SeekToFirst(); input.Valid; input.Next())
            {
                cancel.ThrowIfCancellationRequested();
                var key = input.Key;
                var userKey = InternalKey.UserKey(key);
                ulong sequence = InternalKey.Sequence(key);
                var type = InternalKey.Type(key);

                bool newUserKey = !hasCurrentUserKey || !userKey.SequenceEqual(currentUserKey);
                if (newUserKey)
                {
                    // Outputs are cut only between user keys, so that one level's tables never share a key.
                    if (output != null && (output.Builder.FileSize >= targetFileSize || GrandparentOverlapTooLarge(c, userKey, ref grandparentIndex, ref grandparentOverlap)))
                    {
                        outputs.Add(writer.Finish(output, tombstoneHorizon: oldestReadSequence));
                        output = null;
                    }
                    currentUserKey = userKey.ToArray();
                    hasCurrentUserKey = true;
                    lastSequenceForKey = InternalKey.MaxSequence;
                }

                bool drop = false;
                bool isNewest = lastSequenceForKey == InternalKey.MaxSequence;
                if (lastSequenceForKey <= oldestReadSequence)
                    drop = true; // a newer version of this key is visible to every reader
                else if (type == EntryType.Deletion && sequence <= oldestReadSequence && !version.KeyMayExistBelow(c.OutputLevel, userKey))
                    drop = true; // nothing below for the marker to hide
                else if (RangeTombstones.Hide(tombstones, userKey, sequence, oldestReadSequence))
                    drop = true;
                lastSequenceForKey = sequence;

                EntryType outType = type;
                if (!drop && isNewest && type == EntryType.Value && sequence <= oldestReadSequence && compactionFilter is { } filter &&
                    filter.Filter(filterContext, userKey, input.Value) == CompactionDecision.Remove)
                {
                    // A removed value becomes a deletion so older versions below cannot resurface.
                    if (!version.KeyMayExistBelow(c.OutputLevel, userKey)) drop = true;
                    else outType = EntryType.Deletion;
                }

                if (drop)
                {
                    dropped++;
                    continue;
                }

                output ??= writer.Start();
                if (outType == type)
                {
                    output.Builder.Add(key, input.Value);
                }
                else
                {
                    if (keyBuffer.Length < key.Length) keyBuffer = new byte[key.Length * 2];
                    InternalKey.Encode(keyBuffer, userKey, sequence, outType);
                    output.Builder.Add(keyBuffer.AsSpan(0, key.Length), default);
                }
            }
            if (output != null)
            {
                outputs.Add(writer.Finish(output, tombstoneHorizon: oldestReadSequence));
                output = null;
            }
        }
        catch
        {
            if (output != null) writer.Abandon(output);
            foreach (var f in outputs) writer.Delete(f.Number);
            throw;
        }

        return new Result(outputs, c.InputBytes, outputs.Sum(f => f.Size), dropped);
    }

    private static bool IsBottommost(CompactionPlan c)
    {
        var v = c.InputVersion;
        for (int level = c.OutputLevel + 1; level < v.NumLevels; level++)
            if (v.Levels[level].Count > 0) return false;
        return true;
    }

    private bool GrandparentOverlapTooLarge(CompactionPlan c, ReadOnlySpan<byte> userKey, ref int index, ref long overlap)
    {
        var gp = c.Grandparents;
        while (index < gp.Count && gp[index].LargestUserKey.SequenceCompareTo(userKey) < 0)
        {
            overlap += gp[index].Size;
            index++;
        }
        if (overlap <= picker.MaxGrandparentOverlapBytes) return false;
        overlap = 0;
        return true;
    }
}
