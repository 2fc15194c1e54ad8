namespace TieredKv.Keyspace;

/// <summary>
/// One live key as an export sees it: its name, type, expiry and element count, and its value —
/// a string's bytes or a collection's elements, streamed in the collection's natural order.
/// A key from <see cref="KeyspaceSnapshot.Keys"/> reads through its snapshot (use it before
/// disposing the snapshot); one from <see cref="KvDatabase.ReadKey"/> holds its elements.
/// </summary>
public sealed class SnapshotKey
{
    private readonly KeyMetadata _metadata;
    private readonly IKeyElements _elements;

    internal SnapshotKey(byte[] key, KeyMetadata metadata, IKeyElements elements)
    {
        Key = key;
        _metadata = metadata;
        _elements = elements;
    }

    public byte[] Key { get; }

    public KeyType Type => _metadata.Type;

    /// <summary>Unix time in milliseconds at which the key expires, or null for none.</summary>
    public long? ExpireAtUnixMs => _metadata.ExpireAtMs == 0 ? null : _metadata.ExpireAtMs;

    /// <summary>Element count of a collection; 1 for a string.</summary>
    public long Count => _metadata.Type == KeyType.String ? 1 : _metadata.Count;

    /// <summary>A string's value (a HyperLogLog is a string).</summary>
    public byte[] StringValue() => Expect(KeyType.String).Value;

    /// <summary>A hash's fields and values, in field byte order.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> HashFields() => Elements(KeyType.Hash).HashFields();

    /// <summary>A set's members, in byte order.</summary>
    public IEnumerable<byte[]> SetMembers() => Elements(KeyType.Set).SetMembers();

    /// <summary>A list's items, head to tail.</summary>
    public IEnumerable<byte[]> ListItems() => Elements(KeyType.List).ListItems();

    /// <summary>A sorted set's members with their scores, ordered by (score, member).</summary>
    public IEnumerable<KeyValuePair<byte[], double>> SortedSetMembers() => Elements(KeyType.SortedSet).SortedSetMembers();

    /// <summary>The key's metadata record (a stream's state is read from it).</summary>
    internal KeyMetadata Metadata => _metadata;

    /// <summary>A stream's records of one tag (see <see cref="IKeyElements.VersionedRecords"/>).</summary>
    internal IEnumerable<KeyValuePair<byte[], byte[]>> StreamRecords(byte tag) => Elements(KeyType.Stream).VersionedRecords(tag);

    private IKeyElements Elements(KeyType type)
    {
        Expect(type);
        return _elements;
    }

    private KeyMetadata Expect(KeyType type) =>
        _metadata.Type == type
            ? _metadata
            : throw new InvalidOperationException($"the key is a {KeyTypeNames.Name(_metadata.Type)}, not a {KeyTypeNames.Name(type)}");
}
