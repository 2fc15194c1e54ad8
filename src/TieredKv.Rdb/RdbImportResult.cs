using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>What an import did: keys written per type, keys skipped with why, and the reader's warnings.</summary>
public sealed record RdbImportResult(
    IReadOnlyDictionary<KeyType, long> ImportedPerType,
    IReadOnlyList<RdbSkippedKey> Skipped,
    IReadOnlyList<string> Warnings)
{
    public long Imported => ImportedPerType.Values.Sum();
}
