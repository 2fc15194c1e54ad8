using TieredKv.Storage.Format;

namespace TieredKv.Storage.Manifest;

/// <summary>
/// A table the MANIFEST names but recovery could not use — missing, or shorter or longer than recorded —
/// and that <see cref="WalRecoveryMode.Salvage"/> left out of the opened database: its key range and
/// entry count are what was lost.
/// </summary>
public sealed record LostTable
{
    public required ulong Number { get; init; }
    public string FileName => FileNames.Table(Number);
    public required int Level { get; init; }

    /// <summary>The size the manifest recorded.</summary>
    public required long RecordedSize { get; init; }

    /// <summary>The size found on disk; null when the file is missing.</summary>
    public long? FoundSize { get; init; }

    public required byte[] SmallestUserKey { get; init; }
    public required byte[] LargestUserKey { get; init; }
    public required long EntryCount { get; init; }

    /// <summary>The manifest and byte offset of the edit that recorded the table.</summary>
    public required string RecordedBy { get; init; }

    public string Problem => FoundSize is { } found
        ? $"has {found} bytes, the manifest recorded {RecordedSize}"
        : "is missing";

    public override string ToString() =>
        $"table {FileName} at level {Level} {Problem} ({EntryCount} entries, keys '{Convert.ToHexString(SmallestUserKey)}' .. '{Convert.ToHexString(LargestUserKey)}'; recorded by the edit at {RecordedBy})";
}
