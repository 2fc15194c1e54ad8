using System.Buffers.Binary;
using TieredKv.Keyspace;

namespace TieredKv;

/// <summary>A consumer as an export carries it: its name, seen time (Unix ms) and the IDs of the pending entries it owns, in order.</summary>
public sealed record StreamConsumerExport(byte[] Name, long SeenTimeMs, IReadOnlyList<StreamId> Pending);

/// <summary>A consumer group as an export carries it: its last delivered ID, entries-read counter (-1 unknown), PEL in ID order and consumers in name order.</summary>
public sealed record StreamGroupExport(byte[] Name, StreamId LastDeliveredId, long EntriesRead, IReadOnlyList<StreamPendingEntry> Pending, IReadOnlyList<StreamConsumerExport> Consumers);

/// <summary>
/// A whole stream for RDB and DUMP: its length and state, its entries in ID order (streamed from the LSM when the
/// key comes from a <see cref="KeyspaceSnapshot"/>, so a stream of any size is read in bounded memory) and its groups.
/// </summary>
public sealed record StreamContents(long Length, StreamId LastId, StreamId FirstId, StreamId MaxDeletedId, ulong EntriesAdded,
    IEnumerable<StreamEntry> Entries, IReadOnlyList<StreamGroupExport> Groups);

/// <summary>Reads a stream key of an export (<see cref="SnapshotKey"/>) as <see cref="StreamContents"/>.</summary>
public static class StreamExport
{
    /// <exception cref="InvalidOperationException">The key is not a stream.</exception>
    public static StreamContents StreamContents(this SnapshotKey key)
    {
        if (key.Type != KeyType.Stream) throw new InvalidOperationException($"the key is a {KeyTypeNames.Name(key.Type)}, not a stream");
        var state = StreamStorage.State(key.Metadata);
        return new StreamContents(key.Metadata.Count, state.LastId, state.FirstId, state.MaxDeletedId, state.EntriesAdded,
            Entries(key), Groups(key.StreamRecords(KeyCodec.StreamGroupTag)));
    }

    private static IEnumerable<StreamEntry> Entries(SnapshotKey key)
    {
        foreach (var (rest, value) in key.StreamRecords(KeyCodec.SubKeyTag))
        {
            if (StreamEntry.IsDeleted(value)) continue; // kept only for the node layout, which an export does not carry
            StreamEntry entry;
            try
            {
                entry = StreamEntry.Decode(rest, value);
            }
            catch (FormatException e)
            {
                throw new KvException($"ERR corrupt stream entry: {e.Message}");
            }
            yield return entry;
        }
    }

    /// <summary>The group records in key order: every group (kind 1), then consumers (2), then PELs (3); kind 4 repeats kind 3 by owner.</summary>
    private static List<StreamGroupExport> Groups(IEnumerable<KeyValuePair<byte[], byte[]>> records)
    {
        var groups = new List<(StreamGroup Group, List<StreamConsumer> Consumers, List<StreamPendingEntry> Pending)>();
        var byName = new Dictionary<string, int>();
        try
        {
            foreach (var (rest, value) in records)
            {
                byte kind = rest[0];
                if (kind == StreamKeys.GroupKind)
                {
                    var name = rest[1..];
                    byName[System.Text.Encoding.Latin1.GetString(name)] = groups.Count;
                    groups.Add((StreamGroup.Decode(name, value), [], []));
                    continue;
                }
                if (kind == StreamKeys.ConsumerPendingKind) continue;
                int length = BinaryPrimitives.ReadInt32BigEndian(rest.AsSpan(1));
                var groupName = rest.AsSpan(5, length);
                var tail = rest[(5 + length)..];
                if (!byName.TryGetValue(System.Text.Encoding.Latin1.GetString(groupName), out int index))
                    throw new FormatException("a record of a consumer group that does not exist");
                if (kind == StreamKeys.ConsumerKind) groups[index].Consumers.Add(StreamConsumer.Decode(tail, value));
                else if (kind == StreamKeys.PendingKind) groups[index].Pending.Add(StreamPendingEntry.Decode(StreamId.ReadBigEndian(tail), value));
                else throw new FormatException($"unknown consumer group record kind {kind}");
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw new KvException($"ERR corrupt stream group record: {e.Message}");
        }
        return groups.ConvertAll(g =>
        {
            var owned = g.Pending.GroupBy(p => System.Text.Encoding.Latin1.GetString(p.Consumer)).ToDictionary(x => x.Key, x => x.Select(p => p.Id).ToList());
            var consumers = g.Consumers.ConvertAll(c => new StreamConsumerExport(c.Name, c.SeenTimeMs,
                owned.TryGetValue(System.Text.Encoding.Latin1.GetString(c.Name), out var ids) ? ids : []));
            return new StreamGroupExport(g.Group.Name, g.Group.LastDeliveredId, g.Group.EntriesRead, g.Pending, consumers);
        });
    }
}
