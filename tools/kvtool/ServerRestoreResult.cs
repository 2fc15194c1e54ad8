namespace TieredKv.Tools;

/// <summary>What an online restore did: keys (and function libraries) the server accepted, keys left out as already expired, and every key that failed with why.</summary>
public sealed record ServerRestoreResult(long Restored, long Expired, IReadOnlyList<string> Failures, int FunctionLibraries);
