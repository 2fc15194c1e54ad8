namespace TieredKv.Rdb.Streams;

/// <summary>
/// A consumer group: its name, the last ID delivered to it, how many entries it has read (-1 when unknown:
/// XINFO shows nil and lag cannot be computed), its pending entries list in ID order, and its consumers.
/// </summary>
public sealed class RdbStreamGroup(byte[] name, StreamId lastDeliveredId, long entriesRead,
    IReadOnlyList<RdbStreamPendingEntry> pending, IReadOnlyList<RdbStreamConsumer> consumers)
{
    /// <summary>Redis's SCG_INVALID_ENTRIES_READ.</summary>
    public const long UnknownEntriesRead = -1;

    public byte[] Name { get; } = name;

    public StreamId LastDeliveredId { get; } = lastDeliveredId;

    public long EntriesRead { get; } = entriesRead;

    public IReadOnlyList<RdbStreamPendingEntry> Pending { get; } = pending;

    public IReadOnlyList<RdbStreamConsumer> Consumers { get; } = consumers;

    /// <summary>The IDs a consumer owns (its own PEL), in the order of <see cref="Pending"/>.</summary>
    public IEnumerable<StreamId> PendingOf(ReadOnlySpan<byte> consumer)
    {
        byte[] name = consumer.ToArray();
        return Pending.Where(p => p.Consumer.AsSpan().SequenceEqual(name)).Select(p => p.Id);
    }
}
