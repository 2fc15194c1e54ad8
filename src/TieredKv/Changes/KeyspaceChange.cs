namespace TieredKv.Changes;

/// <summary>
/// One change an operation made to a key, as Redis's notifyKeyspaceEvent reports it: the database,
/// the key, the event name (<c>set</c>, <c>hset</c>, <c>lpush</c>, <c>del</c>, <c>expired</c>...) and its class.
/// </summary>
/// <param name="Database">The database index (for <c>move_to</c>, the target database).</param>
/// <param name="Key">The key: a copy owned by this change.</param>
/// <param name="Event">The event name, Redis 7.0's.</param>
/// <param name="Class">The class that enables it in notify-keyspace-events.</param>
public readonly record struct KeyspaceChange(int Database, byte[] Key, string Event, KeyEventClass Class);
