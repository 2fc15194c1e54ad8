namespace TieredKv.Server.Blocking;

/// <summary>
/// What a blocking command (BLPOP, BZPOPMIN …) left behind when it found all its keys empty: the
/// database and keys to wait on, and the registry generation read before it looked at them.
/// </summary>
internal sealed record BlockRequest(int Database, IReadOnlyList<byte[]> Keys, long Generation);
