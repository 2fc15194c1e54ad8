using TieredKv.Storage.Format;
using TieredKv.Storage.Manifest;

using Version = TieredKv.Storage.Manifest.Version;

namespace TieredKv.Storage.Compaction;

/// <summary>
/// Decides what to compact next (leveled compaction): the level whose size most exceeds its
/// target — L0 by file count, deeper levels by bytes, each 10× the one above — taking its tables
/// round-robin by key; otherwise tables still holding data that a range tombstone deleted.
/// </summary>
internal sealed class CompactionPicker(long targetFileSize, VersionSet versions)
{
    /// <summary>An output table stops growing once it overlaps this much of the level below (bounds the next compaction).</summary>
    public long MaxGrandparentOverlapBytes => 10 * targetFileSize;

    /// <param name="tombstones">Every range tombstone, flushed or not.</param>
    /// <param name="oldestReadSequence">The oldest sequence any reader can still ask for.</param>
    public CompactionPlan? Pick(Version version, IReadOnlyList<RangeTombstone> tombstones, ulong oldestReadSequence)
    {
        if (version.CompactionScore >= 1 && version.CompactionLevel >= 0)
            return PickByScore(version, version.CompactionLevel, tombstones, oldestReadSequence);
        return PickForTombstones(version, tombstones, oldestReadSequence);
    }

    /// <summary>A compaction of everything in [begin, end] at <paramref name="level"/> (null = unbounded), for CompactRange.</summary>
    public CompactionPlan? PickRange(Version version, int level, int outputLevel, byte[]? begin, byte[]? end, IReadOnlyList<RangeTombstone> tombstones, ulong oldestReadSequence)
    {
        var inputs = version.OverlappingFiles(level, begin, end);
        if (inputs.Count == 0) return null;
        if (level == 0) inputs = [.. version.Levels[0]];
        return Build(version, level, outputLevel, inputs, tombstones, oldestReadSequence, $"manual L{level}");
    }

    /// <summary>Tables wholly inside a range tombstone's range and wholly older than it: deleting them needs no rewrite.</summary>
    public List<(int Level, FileMetaData File)> FilesDroppedByTombstones(Version version, IReadOnlyList<RangeTombstone> tombstones, ulong oldestReadSequence)
    {
        var dropped = new List<(int, FileMetaData)>();
        foreach (var t in tombstones)
        {
            if (t.Sequence > oldestReadSequence) continue;
            for (int level = 0; level < version.NumLevels; level++)
                foreach (var f in version.Levels[level])
                    if (f.LargestSequence < t.Sequence && t.Contains(f.SmallestUserKey) && t.Contains(f.LargestUserKey) &&
                        !dropped.Exists(d => d.Item2.Number == f.Number))
                        dropped.Add((level, f));
        }
        return dropped;
    }

    /// <summary>Flushed tombstones that no table can still hold hidden data for, and no reader can still need.</summary>
    public List<RangeTombstone> RetirableTombstones(Version version, ulong oldestReadSequence) =>
        version.RangeTombstones
            .Where(t => t.Sequence <= oldestReadSequence && !version.Levels.Any(level => level.Any(f => f.MayHoldEntriesHiddenBy(t))))
            .ToList();

    private CompactionPlan PickByScore(Version version, int level, IReadOnlyList<RangeTombstone> tombstones, ulong oldestReadSequence)
    {
        List<FileMetaData> inputs;
        if (level == 0)
        {
            // L0 tables overlap each other: take them all, so older data never ends up above newer.
            inputs = [.. version.Levels[0]];
        }
        else
        {
            var files = version.Levels[level];
            var pointer = versions.CompactPointer(level);
            var first = pointer == null ? null : files.FirstOrDefault(f => InternalKey.Compare(f.Largest, pointer) > 0);
            inputs = [first ?? files[0]];
        }
        return Build(version, level, level + 1, inputs, tombstones, oldestReadSequence, level == 0 ? $"L0 has {inputs.Count} tables" : $"L{level} over its size target");
    }

    private CompactionPlan? PickForTombstones(Version version, IReadOnlyList<RangeTombstone> tombstones, ulong oldestReadSequence)
    {
        foreach (var t in tombstones)
        {
            if (t.Sequence > oldestReadSequence) continue;
            for (int level = 0; level < version.NumLevels; level++)
                foreach (var f in version.Levels[level])
                    if (f.MayHoldEntriesHiddenBy(t))
                    {
                        int output = level == version.NumLevels - 1 ? level : level + 1;
                        List<FileMetaData> inputs = level == 0 ? [.. version.Levels[0]] : [f];
                        return Build(version, level, output, inputs, tombstones, oldestReadSequence, $"range tombstone @{t.Sequence} covers table #{f.Number}");
                    }
        }
        return null;
    }

    private CompactionPlan Build(Version version, int level, int outputLevel, List<FileMetaData> inputs, IReadOnlyList<RangeTombstone> tombstones, ulong oldestReadSequence, string reason)
    {
        var (smallest, largest) = UserKeyRange(inputs);
        var outputInputs = outputLevel == level ? [] : version.OverlappingFiles(outputLevel, smallest, largest);
        var grandparents = outputLevel + 1 < version.NumLevels ? version.OverlappingFiles(outputLevel + 1, UserKeyRange(inputs.Concat(outputInputs)).Smallest, UserKeyRange(inputs.Concat(outputInputs)).Largest) : [];
        var all = inputs.Concat(outputInputs).ToList();
        return new CompactionPlan
        {
            InputVersion = version,
            Level = level,
            OutputLevel = outputLevel,
            Inputs = inputs,
            OutputLevelInputs = outputInputs,
            Grandparents = grandparents,
            Reason = reason,
            OldestReadSequence = oldestReadSequence,
            RangeTombstones = tombstones.Where(t => all.Any(f => f.MayHoldEntriesHiddenBy(t))).ToList(),
        };
    }

    private static (byte[] Smallest, byte[] Largest) UserKeyRange(IEnumerable<FileMetaData> files)
    {
        byte[]? smallest = null, largest = null;
        foreach (var f in files)
        {
            if (smallest == null || f.SmallestUserKey.SequenceCompareTo(smallest) < 0) smallest = f.SmallestUserKey.ToArray();
            if (largest == null || f.LargestUserKey.SequenceCompareTo(largest) > 0) largest = f.LargestUserKey.ToArray();
        }
        return (smallest!, largest!);
    }
}
