namespace TieredKv.Keyspace;

/// <summary>The elements of one collection read into memory (for a key read under its lock, which cannot be held while a caller streams).</summary>
internal sealed class LoadedElements : IKeyElements
{
    private readonly List<KeyValuePair<byte[], byte[]>> _fields = [];
    private readonly List<byte[]> _items = [];
    private readonly List<KeyValuePair<byte[], double>> _scored = [];
    private readonly Dictionary<byte, List<KeyValuePair<byte[], byte[]>>> _records = [];

    /// <summary>Reads every element of a collection of <paramref name="type"/> from <paramref name="source"/>.</summary>
    public LoadedElements(KeyType type, IKeyElements source)
    {
        switch (type)
        {
            case KeyType.Hash: _fields.AddRange(source.HashFields()); break;
            case KeyType.Set: _items.AddRange(source.SetMembers()); break;
            case KeyType.List: _items.AddRange(source.ListItems()); break;
            case KeyType.SortedSet: _scored.AddRange(source.SortedSetMembers()); break;
            case KeyType.Stream:
                _records[KeyCodec.SubKeyTag] = [.. source.VersionedRecords(KeyCodec.SubKeyTag)];
                _records[KeyCodec.StreamGroupTag] = [.. source.VersionedRecords(KeyCodec.StreamGroupTag)];
                break;
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> HashFields() => _fields;
    public IEnumerable<byte[]> SetMembers() => _items;
    public IEnumerable<byte[]> ListItems() => _items;
    public IEnumerable<KeyValuePair<byte[], double>> SortedSetMembers() => _scored;
    public IEnumerable<KeyValuePair<byte[], byte[]>> VersionedRecords(byte tag) => _records.TryGetValue(tag, out var records) ? records : [];
}
