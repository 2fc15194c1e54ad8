namespace TieredKv.Rdb.Streams;

/// <summary>One stream entry: its ID and its field/value pairs in the order XADD gave them (fields may repeat).</summary>
public sealed class RdbStreamEntry(StreamId id, IReadOnlyList<KeyValuePair<byte[], byte[]>> fields)
{
    public StreamId Id { get; } = id;

    public IReadOnlyList<KeyValuePair<byte[], byte[]>> Fields { get; } = fields;
}
