namespace TieredKv.Rdb.Streams;

/// <summary>
/// An entry of a consumer group's pending entries list (PEL): delivered to <see cref="Consumer"/> and not yet
/// acknowledged, last delivered at <see cref="DeliveryTimeMs"/> (Unix ms), delivered <see cref="DeliveryCount"/> times.
/// </summary>
public sealed class RdbStreamPendingEntry(StreamId id, long deliveryTimeMs, ulong deliveryCount, byte[] consumer)
{
    public StreamId Id { get; } = id;

    public long DeliveryTimeMs { get; } = deliveryTimeMs;

    public ulong DeliveryCount { get; } = deliveryCount;

    /// <summary>The owning consumer's name; it is one of the group's <see cref="RdbStreamGroup.Consumers"/>.</summary>
    public byte[] Consumer { get; } = consumer;
}
