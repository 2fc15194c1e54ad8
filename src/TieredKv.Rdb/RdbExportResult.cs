using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>What an export wrote.</summary>
public sealed record RdbExportResult(long Keys, long Bytes, IReadOnlyDictionary<KeyType, long> KeysPerType);
