using TieredKv.Storage.Compaction;

namespace TieredKv.Storage;

/// <summary>How a read sees the database: at which snapshot, within which key bounds.</summary>
public sealed class ReadOptions
{
    public static readonly ReadOptions Default = new();

    /// <summary>Read as of this snapshot; null reads the latest data.</summary>
    public Snapshot? Snapshot { get; init; }

    /// <summary>
    /// Read as of this sequence number; for compaction filters (<see cref="CompactionFilterContext.OldestReadSequence"/>).
    /// Only a sequence that a snapshot (or the present) protects reads consistent data. Ignored when <see cref="Snapshot"/> is set.
    /// </summary>
    public ulong? Sequence { get; init; }

    /// <summary>Inclusive lower bound for iterators; null = unbounded.</summary>
    public byte[]? LowerBound { get; init; }

    /// <summary>Exclusive upper bound for iterators; null = unbounded.</summary>
    public byte[]? UpperBound { get; init; }

    /// <summary>Whether blocks read for this operation enter the block cache (turn off for scans).</summary>
    public bool FillCache { get; init; } = true;

    /// <summary>Options that bound an iterator to the keys starting with <paramref name="prefix"/>.</summary>
    public static ReadOptions ForPrefix(ReadOnlySpan<byte> prefix, Snapshot? snapshot = null) => new()
    {
        Snapshot = snapshot,
        LowerBound = prefix.ToArray(),
        UpperBound = PrefixSuccessor(prefix),
    };

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>, or null when there is none.</summary>
    public static byte[]? PrefixSuccessor(ReadOnlySpan<byte> prefix)
    {
        for (int i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] == 0xFF) continue;
            var successor = prefix[..(i + 1)].ToArray();
            successor[i]++;
            return successor;
        }
        return null;
    }
}
