using TieredKv.Storage;

namespace TieredKv.Keyspace;

/// <summary>
/// Streams the elements of one collection from the LSM, as of a snapshot (or now, when the caller
/// holds the key): one iterator per enumeration and one element in memory at a time, so a
/// collection of any size is read in bounded memory. Blocks read do not enter the block cache:
/// an export touches everything once. Hash fields in <paramref name="skipFields"/> (expired, not yet
/// removed) are left out.
/// </summary>
internal sealed class ElementReader(Db engine, int db, KeyMetadata metadata, Snapshot? snapshot, IReadOnlySet<byte[]>? skipFields = null) : IKeyElements
{
    private const int ElementPrefixLength = KeyCodec.SubKeyPrefixLength;
    private const int ScoreIndexPrefixLength = ElementPrefixLength + 8;

    public IEnumerable<KeyValuePair<byte[], byte[]>> HashFields()
    {
        foreach (var (field, value) in SubKeys(withValues: true))
            if (skipFields == null || !skipFields.Contains(field)) yield return new(field, value!);
    }

    public IEnumerable<byte[]> SetMembers()
    {
        foreach (var (member, _) in SubKeys(withValues: false)) yield return member;
    }

    public IEnumerable<byte[]> ListItems()
    {
        // Positions Head … Head+Count-1, in order: the bounds exclude any stale position outside them.
        using var it = engine.NewIterator(Bounded(
            KeyCodec.ListElement(db, metadata.Version, metadata.ListHead),
            KeyCodec.ListElement(db, metadata.Version, metadata.ListHead + (ulong)metadata.Count)));
        for (it.SeekToFirst(); it.Valid; it.Next()) yield return it.Value.ToArray();
    }

    public IEnumerable<KeyValuePair<byte[], double>> SortedSetMembers()
    {
        // The score index is ordered by (score, member): exactly the order wanted.
        var prefix = KeyCodec.ScorePrefix(db, metadata.Version);
        using var it = engine.NewIterator(Bounded(prefix, ReadOptions.PrefixSuccessor(prefix)));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var key = it.Key;
            yield return new(key[ScoreIndexPrefixLength..].ToArray(), ScoreCodec.Decode(key[ElementPrefixLength..ScoreIndexPrefixLength]));
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> VersionedRecords(byte tag)
    {
        var prefix = KeyCodec.SubKeyPrefix(db, metadata.Version);
        prefix[0] = tag;
        using var it = engine.NewIterator(Bounded(prefix, ReadOptions.PrefixSuccessor(prefix)));
        for (it.SeekToFirst(); it.Valid; it.Next()) yield return new(it.Key[ElementPrefixLength..].ToArray(), it.Value.ToArray());
    }

    private IEnumerable<(byte[] Field, byte[]? Value)> SubKeys(bool withValues)
    {
        var prefix = KeyCodec.SubKeyPrefix(db, metadata.Version);
        using var it = engine.NewIterator(Bounded(prefix, ReadOptions.PrefixSuccessor(prefix)));
        for (it.SeekToFirst(); it.Valid; it.Next())
            yield return (it.Key[ElementPrefixLength..].ToArray(), withValues ? it.Value.ToArray() : null);
    }

    private ReadOptions Bounded(byte[] lower, byte[]? upper) =>
        new() { Snapshot = snapshot, LowerBound = lower, UpperBound = upper, FillCache = false };
}
