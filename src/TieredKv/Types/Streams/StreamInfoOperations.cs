using TieredKv.Keyspace;

namespace TieredKv;

/// <summary>XINFO STREAM's summary: the stream's state, how many groups it has, its first and last entries.</summary>
public sealed record StreamInfo(long Length, long Nodes, StreamState State, StreamEntry? First, StreamEntry? Last);

/// <summary>One group as XINFO STREAM FULL shows it: the group, its lag (null when unknown), its pending entries and its consumers with theirs.</summary>
public sealed record StreamGroupDetail(StreamGroup Group, long? Lag, IReadOnlyList<StreamPendingEntry> Pending, IReadOnlyList<(StreamConsumer Consumer, IReadOnlyList<StreamPendingEntry> Pending)> Consumers);

/// <summary>XINFO STREAM FULL: the stream's state, its first entries and every group in detail.</summary>
public sealed record StreamFullInfo(long Length, long Nodes, StreamState State, IReadOnlyList<StreamEntry> Entries, IReadOnlyList<StreamGroupDetail> Groups);

/// <summary>XINFO STREAM, GROUPS and CONSUMERS.</summary>
public static class StreamInfoOperations
{
    private static KeyMetadata Existing(KvDatabase db, ReadOnlySpan<byte> key) =>
        db.ReadMetadata(key, KeyType.Stream) ?? throw new KvException("ERR no such key");

    // Redis reports radix-tree nodes; ours has none. A node holds up to 100 entries, so this is the count Redis would
    // have for a stream filled by XADD without deletions.
    private static long Nodes(KeyMetadata stream) => (stream.Count + StreamNodeModel.MaxEntries - 1) / StreamNodeModel.MaxEntries;

    public static StreamInfo XInfoStream(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        var stream = Existing(db, key);
        return new StreamInfo(stream.Count, Nodes(stream), StreamStorage.State(stream), db.EdgeEntry(stream, last: false), db.EdgeEntry(stream, last: true));
    }

    /// <summary>XINFO STREAM FULL with at most <paramref name="count"/> entries, pending entries per group and per consumer (0 = all).</summary>
    public static StreamFullInfo XInfoStreamFull(this KvDatabase db, ReadOnlySpan<byte> key, long count)
    {
        using var _ = db.LockKey(key);
        var stream = Existing(db, key);
        var state = StreamStorage.State(stream);
        var entries = db.Range(stream, StreamId.Min, StreamId.Max, count, reverse: false);
        var groups = new List<StreamGroupDetail>();
        foreach (var group in StreamGroupReader.Groups(db, stream).ToList())
        {
            var pending = StreamGroupReader.Pending(db, stream, group.Name, StreamId.Min);
            var consumers = StreamGroupReader.Consumers(db, stream, group.Name).Select(c =>
            {
                var ids = StreamGroupReader.ConsumerPendingIds(db, stream, group.Name, c.Name, StreamId.Min);
                var owned = (count > 0 ? ids.Take((int)Math.Min(count, int.MaxValue)) : ids)
                    .Select(id => StreamGroupReader.GetPending(db, stream, group.Name, id)!).ToList();
                return (c, (IReadOnlyList<StreamPendingEntry>)owned);
            }).ToList();
            groups.Add(new StreamGroupDetail(group, StreamLag.Lag(state, stream.Count, group),
                (count > 0 ? pending.Take((int)Math.Min(count, int.MaxValue)) : pending).ToList(), consumers));
        }
        return new StreamFullInfo(stream.Count, Nodes(stream), state, entries, groups);
    }

    /// <summary>XINFO GROUPS: every group with its lag (null when unknown), in name order.</summary>
    public static List<(StreamGroup Group, long? Lag)> XInfoGroups(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        var stream = Existing(db, key);
        var state = StreamStorage.State(stream);
        return StreamGroupReader.Groups(db, stream).Select(g => (g, StreamLag.Lag(state, stream.Count, g))).ToList();
    }

    /// <summary>XINFO CONSUMERS: the group's consumers with their idle time, in name order.</summary>
    public static List<(StreamConsumer Consumer, long IdleMs)> XInfoConsumers(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group)
    {
        using var _ = db.LockKey(key);
        var stream = Existing(db, key);
        if (StreamGroupReader.GetGroup(db, stream, group) == null) throw StreamGroupOperations.NoGroupForKey(key, group);
        long now = db.NowMs;
        return StreamGroupReader.Consumers(db, stream, group).Select(c => (c, Math.Max(0, now - c.SeenTimeMs))).ToList();
    }
}
