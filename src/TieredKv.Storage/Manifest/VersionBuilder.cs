using TieredKv.Storage.Format;

namespace TieredKv.Storage.Manifest;

/// <summary>Applies version edits to a base version's file lists to produce the next version's.</summary>
internal sealed class VersionBuilder
{
    private readonly Dictionary<ulong, FileMetaData>[] _levels;
    private readonly Dictionary<ulong, RangeTombstone> _tombstones;

    public VersionBuilder(int numLevels, Version? baseVersion)
    {
        _levels = new Dictionary<ulong, FileMetaData>[numLevels];
        for (int i = 0; i < numLevels; i++)
            _levels[i] = baseVersion == null || i >= baseVersion.NumLevels
                ? []
                : baseVersion.Levels[i].ToDictionary(f => f.Number);
        _tombstones = baseVersion?.RangeTombstones.ToDictionary(t => t.Sequence) ?? [];
    }

    /// <exception cref="FormatException">The edit does not fit the current state (a corrupt or mismatched manifest).</exception>
    public void Apply(VersionEdit edit)
    {
        foreach (var (level, number) in edit.DeletedFiles)
        {
            CheckLevel(level);
            if (!_levels[level].Remove(number))
                throw new FormatException($"version edit deletes table #{number} which is not live at level {level}");
        }
        foreach (var (level, file) in edit.NewFiles)
        {
            CheckLevel(level);
            _levels[level][file.Number] = file;
        }
        foreach (ulong seq in edit.RemovedRangeTombstones) _tombstones.Remove(seq);
        foreach (var t in edit.AddedRangeTombstones) _tombstones[t.Sequence] = t;
    }

    public (IReadOnlyList<FileMetaData>[] Levels, IReadOnlyList<RangeTombstone> Tombstones) Build()
    {
        var levels = new IReadOnlyList<FileMetaData>[_levels.Length];
        // L0: newest data first. Deeper levels: by smallest key, with disjoint user-key ranges
        // (compaction never splits one user key's versions across two tables).
        levels[0] = _levels[0].Values.OrderByDescending(f => f.LargestSequence).ThenByDescending(f => f.Number).ToArray();
        for (int i = 1; i < _levels.Length; i++)
        {
            var files = _levels[i].Values.OrderBy(f => f.Smallest, InternalKeyComparer.Instance).ToArray();
            for (int j = 1; j < files.Length; j++)
                if (files[j - 1].LargestUserKey.SequenceCompareTo(files[j].SmallestUserKey) >= 0)
                    throw new InvalidOperationException($"tables #{files[j - 1].Number} and #{files[j].Number} overlap at level {i}");
            levels[i] = files;
        }
        return (levels, _tombstones.Values.OrderBy(t => t.Sequence).ToArray());
    }

    private void CheckLevel(int level)
    {
        if (level >= _levels.Length) throw new FormatException($"version edit names level {level}, but the database has {_levels.Length} levels");
    }
}
