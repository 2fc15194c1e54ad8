using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.Iterators;

namespace TieredKv;

/// <summary>Reading and writing a stream's records: its state in the metadata, its entries as sub-keys. Callers hold the key.</summary>
internal static class StreamStorage
{
    public static StreamState State(KeyMetadata metadata)
    {
        try
        {
            return StreamState.Decode(metadata.Value);
        }
        catch (FormatException e)
        {
            throw new KvException($"ERR corrupt stream metadata: {e.Message}");
        }
    }

    public static KeyMetadata With(this KeyMetadata metadata, StreamState state, long count) =>
        metadata with { Value = state.Encode(), Count = count };

    /// <summary>A new, empty stream under a fresh version.</summary>
    public static KeyMetadata NewStream(this KvDatabase db) => db.NewCollection(KeyType.Stream) with { Value = StreamState.Empty.Encode() };

    public static DbIterator IterateEntries(this KvDatabase db, KeyMetadata metadata, Snapshot? snapshot = null) => db.IterateElements(metadata, snapshot);

    public static StreamEntry ReadEntry(DbIterator it)
    {
        try
        {
            return StreamEntry.Decode(it.Key[KvDatabase.ElementPrefixLength..], it.Value);
        }
        catch (FormatException e)
        {
            throw new KvException($"ERR corrupt stream entry: {e.Message}");
        }
    }

    /// <summary>
    /// Entries from <paramref name="start"/> to <paramref name="end"/> inclusive, ascending (or descending from
    /// <paramref name="end"/> with <paramref name="reverse"/>); at most <paramref name="count"/> (0 = all).
    /// </summary>
    public static List<StreamEntry> Range(this KvDatabase db, KeyMetadata metadata, StreamId start, StreamId end, long count, bool reverse)
    {
        var entries = new List<StreamEntry>();
        if (start > end) return entries;
        using var it = db.IterateEntries(metadata);
        if (!reverse)
        {
            for (it.Seek(StreamKeys.Entry(db.Index, metadata.Version, start)); it.Valid; it.Next())
            {
                if (StreamKeys.IdOfEntry(it.Key) > end) break;
                if (StreamEntry.IsDeleted(it.Value)) continue;
                entries.Add(ReadEntry(it));
                if (count > 0 && entries.Count >= count) break;
            }
        }
        else
        {
            for (it.SeekForPrev(StreamKeys.Entry(db.Index, metadata.Version, end)); it.Valid; it.Prev())
            {
                if (StreamKeys.IdOfEntry(it.Key) < start) break;
                if (StreamEntry.IsDeleted(it.Value)) continue;
                entries.Add(ReadEntry(it));
                if (count > 0 && entries.Count >= count) break;
            }
        }
        return entries;
    }

    /// <summary>One entry by ID, or null.</summary>
    public static StreamEntry? GetEntry(this KvDatabase db, KeyMetadata metadata, StreamId id)
    {
        var value = db.Engine.Get(StreamKeys.Entry(db.Index, metadata.Version, id));
        if (value == null || StreamEntry.IsDeleted(value)) return null;
        try
        {
            return new StreamEntry(id, StreamEntry.DecodeValue(value));
        }
        catch (FormatException e)
        {
            throw new KvException($"ERR corrupt stream entry: {e.Message}");
        }
    }

    /// <summary>The first or last entry's ID, or null when the stream is empty.</summary>
    public static StreamId? EdgeId(this KvDatabase db, KeyMetadata metadata, bool last)
    {
        using var it = db.IterateEntries(metadata);
        return SeekEdge(it, last) ? StreamKeys.IdOfEntry(it.Key) : null;
    }

    /// <summary>The first or last entry, or null when the stream is empty.</summary>
    public static StreamEntry? EdgeEntry(this KvDatabase db, KeyMetadata metadata, bool last)
    {
        using var it = db.IterateEntries(metadata);
        return SeekEdge(it, last) ? ReadEntry(it) : null;
    }

    /// <summary>Positions on the first (or last) entry not deleted; false when there is none.</summary>
    private static bool SeekEdge(DbIterator it, bool last)
    {
        if (last) it.SeekToLast();
        else it.SeekToFirst();
        while (it.Valid && StreamEntry.IsDeleted(it.Value))
        {
            if (last) it.Prev();
            else it.Next();
        }
        return it.Valid;
    }

    /// <summary>Appends one entry to <paramref name="batch"/>, keeping the node model (or starting a node as <paramref name="startsNode"/> says); returns the state after it.</summary>
    public static StreamState Append(this KvDatabase db, WriteBatch batch, KeyMetadata stream, StreamState state, long length, StreamId id, IReadOnlyList<byte[]> fieldsAndValues,
        bool? startsNode = null)
    {
        bool nodeStart = state.TailNodeEntries == 0 || (startsNode ?? StreamNodeModel.StartsNode(state, fieldsAndValues));
        batch.Put(StreamKeys.Entry(db.Index, stream.Version, id), StreamEntry.EncodeValue(fieldsAndValues, nodeStart));
        state = StreamNodeModel.Append(state, id, fieldsAndValues, nodeStart);
        return state with
        {
            LastId = id,
            EntriesAdded = state.EntriesAdded + 1,
            FirstId = length == 0 ? id : state.FirstId,
        };
    }
}
