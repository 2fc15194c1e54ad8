namespace TieredKv.Storage.Inspection;

/// <summary>What a table file holds, counted by reading every block (see <see cref="TableInspector"/>).</summary>
public sealed record TableSummary
{
    public required string File { get; init; }
    public long FileSize { get; init; }
    public long Entries { get; init; }
    public long Deletions { get; init; }
    public long DataBlocks { get; init; }
    public long CompressedBlocks { get; init; }

    /// <summary>Bytes of the data blocks as stored (trailers excluded) and once decompressed.</summary>
    public long StoredDataBytes { get; init; }
    public long UncompressedDataBytes { get; init; }
    public long IndexBytes { get; init; }
    public long FilterBytes { get; init; }
    public long PropertiesBytes { get; init; }

    /// <summary>Sums of the internal key and value lengths of the entries read.</summary>
    public long KeyBytes { get; init; }
    public long ValueBytes { get; init; }

    /// <summary>Smallest and largest user keys, and the sequence range of the entries read (null when there are none).</summary>
    public byte[]? SmallestKey { get; init; }
    public byte[]? LargestKey { get; init; }
    public ulong? SmallestSequence { get; init; }
    public ulong? LargestSequence { get; init; }

    /// <summary>The properties block as stored, by name.</summary>
    public IReadOnlyDictionary<string, ulong> Properties { get; init; } = new Dictionary<string, ulong>();

    public IReadOnlyList<Corruption> Corruptions { get; init; } = [];

    /// <summary>Uncompressed over stored bytes of the data blocks (1 when nothing was compressed).</summary>
    public double CompressionRatio => StoredDataBytes == 0 ? 1 : (double)UncompressedDataBytes / StoredDataBytes;
}
