namespace TieredKv.Changes;

/// <summary>
/// The class of a keyspace change, as Redis's NOTIFY_* classes group events (and the letters of
/// notify-keyspace-events select them).
/// </summary>
public enum KeyEventClass
{
    /// <summary>NOTIFY_GENERIC (g): del, expire, persist, rename_from, copy_to, move_to, restore...</summary>
    Generic,

    /// <summary>NOTIFY_STRING ($): set, append, setrange, incrby, incrbyfloat...</summary>
    String,

    /// <summary>NOTIFY_LIST (l): lpush, rpop, linsert, lset, lrem, ltrim...</summary>
    List,

    /// <summary>NOTIFY_SET (s): sadd, srem, spop, sinterstore...</summary>
    Set,

    /// <summary>NOTIFY_HASH (h): hset, hdel, hincrby, hincrbyfloat.</summary>
    Hash,

    /// <summary>NOTIFY_ZSET (z): zadd, zincr, zrem, zpopmin, zunionstore...</summary>
    SortedSet,

    /// <summary>NOTIFY_EXPIRED (x): a key removed because its expiry passed (on access or by the active cycle).</summary>
    Expired,

    /// <summary>NOTIFY_EVICTED (e): a key evicted for maxmemory (this store demotes instead of evicting).</summary>
    Evicted,

    /// <summary>NOTIFY_STREAM (t): stream commands.</summary>
    Stream,

    /// <summary>NOTIFY_KEY_MISS (m): a read found no key.</summary>
    KeyMiss,

    /// <summary>NOTIFY_NEW (n): a key was created.</summary>
    New,
}
