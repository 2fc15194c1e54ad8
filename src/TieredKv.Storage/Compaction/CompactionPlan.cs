using TieredKv.Storage.Format;
using TieredKv.Storage.Manifest;

using Version = TieredKv.Storage.Manifest.Version;

namespace TieredKv.Storage.Compaction;

/// <summary>One unit of compaction work: which tables are merged, into which level, and why.</summary>
internal sealed class CompactionPlan
{
    public required Version InputVersion { get; init; }
    public required int Level { get; init; }
    public required int OutputLevel { get; init; }

    /// <summary>Tables taken from <see cref="Level"/>.</summary>
    public required List<FileMetaData> Inputs { get; init; }

    /// <summary>Tables of <see cref="OutputLevel"/> that overlap the inputs (empty when it equals <see cref="Level"/>).</summary>
    public required List<FileMetaData> OutputLevelInputs { get; init; }

    /// <summary>Tables of the level below the output, used to cut outputs before they overlap too much of it.</summary>
    public required List<FileMetaData> Grandparents { get; init; }

    public required string Reason { get; init; }

    /// <summary>
    /// The oldest sequence a reader could ask for when the plan was made. Taken together with
    /// <see cref="RangeTombstones"/>, under one lock: outputs claim this as their tombstone horizon,
    /// which holds only if no tombstone at or below it was written after the plan.
    /// </summary>
    public required ulong OldestReadSequence { get; init; }

    /// <summary>Range tombstones (from the version and the memtables) applied by this compaction.</summary>
    public IReadOnlyList<RangeTombstone> RangeTombstones { get; init; } = [];

    public IEnumerable<FileMetaData> AllInputs => Inputs.Concat(OutputLevelInputs);

    /// <summary>A single table with nothing to merge below it moves down by a manifest edit alone.</summary>
    public bool IsTrivialMove(long maxGrandparentOverlap) =>
        Level != OutputLevel && Inputs.Count == 1 && OutputLevelInputs.Count == 0 &&
        Grandparents.Sum(f => f.Size) <= maxGrandparentOverlap && RangeTombstones.Count == 0;

    public long InputBytes => AllInputs.Sum(f => f.Size);
}
