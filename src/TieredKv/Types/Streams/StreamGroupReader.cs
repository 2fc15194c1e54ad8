using TieredKv.Keyspace;
using TieredKv.Storage;

namespace TieredKv;

/// <summary>Reads a stream's group records (format-spec/keyspace.md, <em>Streams</em>) by key or as range scans. Callers hold the key.</summary>
internal static class StreamGroupReader
{
    private static T Decoded<T>(Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (FormatException e)
        {
            throw new KvException($"ERR corrupt stream group record: {e.Message}");
        }
    }

    public static StreamGroup? GetGroup(KvDatabase db, KeyMetadata stream, ReadOnlySpan<byte> name)
    {
        var value = db.Engine.Get(StreamKeys.Group(db.Index, stream.Version, name));
        if (value == null) return null;
        var copy = name.ToArray();
        return Decoded(() => StreamGroup.Decode(copy, value));
    }

    public static StreamConsumer? GetConsumer(KvDatabase db, KeyMetadata stream, byte[] group, byte[] name)
    {
        var value = db.Engine.Get(StreamKeys.Consumer(db.Index, stream.Version, group, name));
        return value == null ? null : Decoded(() => StreamConsumer.Decode(name, value));
    }

    public static StreamPendingEntry? GetPending(KvDatabase db, KeyMetadata stream, byte[] group, StreamId id)
    {
        var value = db.Engine.Get(StreamKeys.Pending(db.Index, stream.Version, group, id));
        return value == null ? null : Decoded(() => StreamPendingEntry.Decode(id, value));
    }

    /// <summary>Every group, in name order (Redis's radix-tree order).</summary>
    public static IEnumerable<StreamGroup> Groups(KvDatabase db, KeyMetadata stream, Snapshot? snapshot = null)
    {
        var prefix = StreamKeys.KindPrefix(db.Index, stream.Version, StreamKeys.GroupKind);
        using var it = db.Engine.NewIterator(ReadOptions.ForPrefix(prefix, snapshot));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var name = StreamKeys.GroupNameOf(it.Key);
            var value = it.Value.ToArray();
            yield return Decoded(() => StreamGroup.Decode(name, value));
        }
    }

    /// <summary>Every consumer of a group, in name order.</summary>
    public static IEnumerable<StreamConsumer> Consumers(KvDatabase db, KeyMetadata stream, byte[] group, Snapshot? snapshot = null)
    {
        var prefix = StreamKeys.GroupScoped(db.Index, stream.Version, StreamKeys.ConsumerKind, group);
        using var it = db.Engine.NewIterator(ReadOptions.ForPrefix(prefix, snapshot));
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var name = it.Key[prefix.Length..].ToArray();
            var value = it.Value.ToArray();
            yield return Decoded(() => StreamConsumer.Decode(name, value));
        }
    }

    /// <summary>A group's pending entries with IDs from <paramref name="start"/> on, in ID order (the caller stops where it likes).</summary>
    public static IEnumerable<StreamPendingEntry> Pending(KvDatabase db, KeyMetadata stream, byte[] group, StreamId start, Snapshot? snapshot = null)
    {
        var prefix = StreamKeys.GroupScoped(db.Index, stream.Version, StreamKeys.PendingKind, group);
        using var it = db.Engine.NewIterator(ReadOptions.ForPrefix(prefix, snapshot));
        for (it.Seek(StreamKeys.Pending(db.Index, stream.Version, group, start)); it.Valid; it.Next())
        {
            var id = StreamKeys.TrailingId(it.Key);
            var value = it.Value.ToArray();
            yield return Decoded(() => StreamPendingEntry.Decode(id, value));
        }
    }

    /// <summary>The last pending entry's ID of a group, or null.</summary>
    public static StreamId? LastPendingId(KvDatabase db, KeyMetadata stream, byte[] group)
    {
        var prefix = StreamKeys.GroupScoped(db.Index, stream.Version, StreamKeys.PendingKind, group);
        using var it = db.Engine.NewIterator(ReadOptions.ForPrefix(prefix));
        it.SeekToLast();
        return it.Valid ? StreamKeys.TrailingId(it.Key) : null;
    }

    /// <summary>The IDs a consumer owns from <paramref name="start"/> on, in order.</summary>
    public static IEnumerable<StreamId> ConsumerPendingIds(KvDatabase db, KeyMetadata stream, byte[] group, byte[] consumer, StreamId start, Snapshot? snapshot = null)
    {
        var prefix = StreamKeys.ConsumerPendingPrefix(db.Index, stream.Version, group, consumer);
        using var it = db.Engine.NewIterator(ReadOptions.ForPrefix(prefix, snapshot));
        for (it.Seek(StreamKeys.ConsumerPending(db.Index, stream.Version, group, consumer, start)); it.Valid; it.Next())
            yield return StreamKeys.TrailingId(it.Key);
    }
}
