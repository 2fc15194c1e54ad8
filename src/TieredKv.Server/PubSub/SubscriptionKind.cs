namespace TieredKv.Server.PubSub;

/// <summary>What a client subscribes to: a channel (SUBSCRIBE), a glob pattern (PSUBSCRIBE) or a shard channel (SSUBSCRIBE).</summary>
internal enum SubscriptionKind
{
    Channel,
    Pattern,
    Shard,
}
