using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>
/// What an import did: keys written per type, keys skipped with why, and the reader's warnings. Function libraries
/// are not part of a store: they are handed to the caller, which owns them (the server's function libraries).
/// </summary>
public sealed record RdbImportResult(
    IReadOnlyDictionary<KeyType, long> ImportedPerType,
    IReadOnlyList<RdbSkippedKey> Skipped,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<byte[]> FunctionLibraries)
{
    public long Imported => ImportedPerType.Values.Sum();
}
