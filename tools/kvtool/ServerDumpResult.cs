using TieredKv.Keyspace;

namespace TieredKv.Tools;

/// <summary>What an online dump wrote (keys and function libraries) and what it could not.</summary>
public sealed record ServerDumpResult(long Keys, long Bytes, IReadOnlyDictionary<KeyType, long> KeysPerType, IReadOnlyList<string> Failures, int FunctionLibraries);
