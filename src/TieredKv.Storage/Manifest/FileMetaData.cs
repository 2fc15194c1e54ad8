using TieredKv.Storage.Format;

namespace TieredKv.Storage.Manifest;

/// <summary>What the manifest records about one table file. Immutable once recorded.</summary>
public sealed class FileMetaData
{
    public required ulong Number { get; init; }
    public required long Size { get; init; }

    /// <summary>Smallest and largest internal keys in the table.</summary>
    public required byte[] Smallest { get; init; }
    public required byte[] Largest { get; init; }

    public required ulong SmallestSequence { get; init; }
    public required ulong LargestSequence { get; init; }
    public long EntryCount { get; init; }
    public long DeletionCount { get; init; }

    /// <summary>
    /// Every range tombstone with a sequence at or below this was applied when the table was
    /// written: the table holds nothing such a tombstone hides.
    /// </summary>
    public ulong TombstoneHorizon { get; init; }

    /// <summary>True when <paramref name="tombstone"/> may still hide entries in this table.</summary>
    public bool MayHoldEntriesHiddenBy(RangeTombstone tombstone) =>
        SmallestSequence < tombstone.Sequence && TombstoneHorizon < tombstone.Sequence &&
        tombstone.Overlaps(SmallestUserKey, LargestUserKey);

    public ReadOnlySpan<byte> SmallestUserKey => InternalKey.UserKey(Smallest);
    public ReadOnlySpan<byte> LargestUserKey => InternalKey.UserKey(Largest);

    /// <summary>True when the table's user-key range meets [<paramref name="begin"/>, <paramref name="end"/>] (inclusive; empty bound = open).</summary>
    public bool OverlapsUserRange(ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end, bool beginOpen = false, bool endOpen = false) =>
        (endOpen || SmallestUserKey.SequenceCompareTo(end) <= 0) &&
        (beginOpen || LargestUserKey.SequenceCompareTo(begin) >= 0);

    public override string ToString() =>
        $"#{Number} {Size}B [{InternalKey.Describe(Smallest)} .. {InternalKey.Describe(Largest)}]";
}
