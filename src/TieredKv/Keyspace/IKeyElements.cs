namespace TieredKv.Keyspace;

/// <summary>The elements of one collection, by kind; a <see cref="SnapshotKey"/> reads them through this.</summary>
internal interface IKeyElements
{
    IEnumerable<KeyValuePair<byte[], byte[]>> HashFields();
    IEnumerable<byte[]> SetMembers();
    IEnumerable<byte[]> ListItems();
    IEnumerable<KeyValuePair<byte[], double>> SortedSetMembers();

    /// <summary>The records <c>tag · db · version · rest</c> of the collection, in key order, as (rest, value): a stream's entries (<c>S</c>) and groups (<c>G</c>).</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> VersionedRecords(byte tag);
}
