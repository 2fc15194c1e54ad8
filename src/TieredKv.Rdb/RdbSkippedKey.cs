namespace TieredKv.Rdb;

/// <summary>A key the reader walked past because we have no such type (streams, modules).</summary>
public sealed record RdbSkippedKey(int Db, byte[] Key, byte RdbType, string Reason);
