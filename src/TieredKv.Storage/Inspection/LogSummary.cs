namespace TieredKv.Storage.Inspection;

/// <summary>What a WAL segment holds (see <see cref="LogInspector.InspectWal"/>).</summary>
public sealed record WalSummary
{
    public required string File { get; init; }
    public long FileSize { get; init; }

    /// <summary>Records with a valid checksum; each carries one write batch.</summary>
    public long Records { get; init; }
    public long Puts { get; init; }
    public long Deletions { get; init; }
    public long RangeDeletions { get; init; }
    public ulong? FirstSequence { get; init; }
    public ulong? LastSequence { get; init; }

    /// <summary>Damage at the end with no valid record after it: what a crash during a write leaves (recovery cuts it off).</summary>
    public Corruption? TornTail { get; init; }
    public IReadOnlyList<Corruption> Corruptions { get; init; } = [];

    public long Batches => Records;
    public long Operations => Puts + Deletions + RangeDeletions;
}

/// <summary>What a MANIFEST holds: its version edits summed up and the live files they leave (see <see cref="LogInspector.InspectManifest"/>).</summary>
public sealed record ManifestSummary
{
    public required string File { get; init; }
    public long FileSize { get; init; }
    public long Edits { get; init; }
    public long TablesAdded { get; init; }
    public long TablesDeleted { get; init; }
    public long RangeTombstonesAdded { get; init; }
    public long RangeTombstonesRemoved { get; init; }
    public ulong? LogNumber { get; init; }
    public ulong? NextFileNumber { get; init; }
    public ulong? LastSequence { get; init; }

    /// <summary>The tables live after every edit, per level: (number, size recorded).</summary>
    public IReadOnlyList<IReadOnlyList<(ulong Number, long Size)>> LiveTables { get; init; } = [];

    public Corruption? TornTail { get; init; }
    public IReadOnlyList<Corruption> Corruptions { get; init; } = [];
}
