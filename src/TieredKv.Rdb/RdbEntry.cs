using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>One key of an RDB file, with its database, expiry and value (elements streamed from the file).</summary>
public sealed class RdbEntry(int db, byte[] key, long? expireAtUnixMs, RdbValue value)
{
    public int Db { get; } = db;
    public byte[] Key { get; } = key;
    /// <summary>Absolute expiry in Unix milliseconds, or null when the key is persistent.</summary>
    public long? ExpireAtUnixMs { get; } = expireAtUnixMs;
    public RdbValue Value { get; } = value;
    public KeyType Type => Value.Type;
    /// <summary>LRU idle seconds or LFU frequency, when the file carried them.</summary>
    public long? IdleSeconds { get; init; }
    public int? Frequency { get; init; }
}
