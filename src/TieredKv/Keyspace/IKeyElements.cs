namespace TieredKv.Keyspace;

/// <summary>The elements of one collection, by kind; a <see cref="SnapshotKey"/> reads them through this.</summary>
internal interface IKeyElements
{
    IEnumerable<KeyValuePair<byte[], byte[]>> HashFields();
    IEnumerable<byte[]> SetMembers();
    IEnumerable<byte[]> ListItems();
    IEnumerable<KeyValuePair<byte[], double>> SortedSetMembers();
}
