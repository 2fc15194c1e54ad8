using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Streams;

/// <summary>
/// Writes a stream value as RDB type 19 (STREAM_LISTPACKS_2, what Redis 7.0 writes): the node count, each node's
/// master ID (16 bytes big-endian) and listpack, the metadata, then the groups with their PELs and consumers.
/// The node count comes first, and it depends on the entries' sizes, so the entries are enumerated twice:
/// <see cref="Plan"/> counts the nodes and checks everything before a byte is written, <see cref="Write"/> writes.
/// </summary>
internal static class StreamValueWriter
{
    /// <summary>What <see cref="Write"/> needs from the first pass.</summary>
    internal sealed record Plan(long Nodes, RdbStreamMetadata Metadata, IReadOnlyList<RdbStreamGroup> Groups, IReadOnlyList<Dictionary<string, List<StreamId>>> ConsumerPels);

    /// <summary>Counts the nodes and checks what Redis would refuse or misread: entry order and count, duplicate names and IDs, PEL owners.</summary>
    public static Plan Prepare(IEnumerable<RdbStreamEntry> entries, RdbStreamMetadata metadata, IReadOnlyList<RdbStreamGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(groups);
        if (metadata.Length < 0 || metadata.EntriesAdded < 0) throw new ArgumentException("stream counters cannot be negative", nameof(metadata));
        var pels = CheckGroups(groups);
        var encoder = new StreamNodeEncoder();
        long nodes = 0, count = 0;
        StreamId? previous = null;
        foreach (var entry in entries)
        {
            if (previous is StreamId p && entry.Id <= p) throw new ArgumentException($"stream entry {entry.Id} does not follow {p}", nameof(entries));
            if (entry.Id > metadata.LastId) throw new ArgumentException($"stream entry {entry.Id} is past the last ID {metadata.LastId}", nameof(entries));
            previous = entry.Id;
            count++;
            if (encoder.Fits(entry))
            {
                encoder.Append(entry);
            }
            else
            {
                encoder.Start(entry);
                nodes++;
            }
        }
        if (count != metadata.Length) throw new ArgumentException($"the stream's length is {metadata.Length} but {count} entries were given", nameof(entries));
        return new Plan(nodes, metadata, groups, pels);
    }

    public static void Write(RdbOutput output, Plan plan, IEnumerable<RdbStreamEntry> entries)
    {
        output.WriteLength((ulong)plan.Nodes);
        var encoder = new StreamNodeEncoder();
        long nodes = 0;
        Span<byte> key = stackalloc byte[StreamId.EncodedLength];
        foreach (var entry in entries)
        {
            if (encoder.Fits(entry))
            {
                encoder.Append(entry);
                continue;
            }
            if (encoder.IsOpen) WriteNode(output, encoder, key, ref nodes, plan.Nodes);
            encoder.Start(entry);
        }
        if (encoder.IsOpen) WriteNode(output, encoder, key, ref nodes, plan.Nodes);
        if (nodes != plan.Nodes) throw new InvalidOperationException($"the entries made {plan.Nodes} nodes when counted and {nodes} when written: they changed between the two passes");

        var m = plan.Metadata;
        output.WriteLength((ulong)m.Length);
        WriteId(output, m.LastId);
        WriteId(output, m.FirstId);
        WriteId(output, m.MaxDeletedEntryId);
        output.WriteLength((ulong)m.EntriesAdded);

        output.WriteLength((ulong)plan.Groups.Count);
        for (int g = 0; g < plan.Groups.Count; g++) WriteGroup(output, plan.Groups[g], plan.ConsumerPels[g]);
    }

    private static void WriteNode(RdbOutput output, StreamNodeEncoder encoder, Span<byte> key, ref long nodes, long planned)
    {
        if (++nodes > planned) throw new InvalidOperationException($"the entries made more than the {planned} nodes counted: they changed between the two passes");
        encoder.Master.WriteBigEndian(key);
        output.WriteString(key);
        output.WriteString(encoder.Finish());
    }

    private static void WriteGroup(RdbOutput output, RdbStreamGroup group, Dictionary<string, List<StreamId>> consumerPels)
    {
        output.WriteString(group.Name);
        WriteId(output, group.LastDeliveredId);
        // A signed counter saved as an unsigned length, as Redis does: -1 (unknown) becomes 2^64-1.
        output.WriteLength((ulong)group.EntriesRead);
        output.WriteLength((ulong)group.Pending.Count);
        Span<byte> raw = stackalloc byte[StreamId.EncodedLength];
        foreach (var p in group.Pending)
        {
            p.Id.WriteBigEndian(raw);
            output.Write(raw);
            output.WriteUInt64LittleEndian((ulong)p.DeliveryTimeMs);
            output.WriteLength(p.DeliveryCount);
        }
        output.WriteLength((ulong)group.Consumers.Count);
        foreach (var consumer in group.Consumers)
        {
            output.WriteString(consumer.Name);
            output.WriteUInt64LittleEndian((ulong)consumer.SeenTimeMs);
            var owned = consumerPels.GetValueOrDefault(Encoding.Latin1.GetString(consumer.Name)) ?? [];
            output.WriteLength((ulong)owned.Count);
            foreach (var id in owned)
            {
                id.WriteBigEndian(raw);
                output.Write(raw);
            }
        }
    }

    private static void WriteId(RdbOutput output, StreamId id)
    {
        output.WriteLength(id.Ms);
        output.WriteLength(id.Seq);
    }

    /// <summary>Redis refuses duplicate group, consumer and PEL entries, and (in its deep check) pending entries without a consumer.</summary>
    private static List<Dictionary<string, List<StreamId>>> CheckGroups(IReadOnlyList<RdbStreamGroup> groups)
    {
        var result = new List<Dictionary<string, List<StreamId>>>(groups.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            string groupName = Encoding.UTF8.GetString(group.Name);
            if (!names.Add(Encoding.Latin1.GetString(group.Name))) throw new ArgumentException($"duplicate consumer group '{groupName}'", nameof(groups));
            var pels = new Dictionary<string, List<StreamId>>(StringComparer.Ordinal);
            foreach (var consumer in group.Consumers)
                if (!pels.TryAdd(Encoding.Latin1.GetString(consumer.Name), []))
                    throw new ArgumentException($"duplicate consumer '{Encoding.UTF8.GetString(consumer.Name)}' in group '{groupName}'", nameof(groups));
            var ids = new HashSet<StreamId>();
            foreach (var p in group.Pending)
            {
                if (!ids.Add(p.Id)) throw new ArgumentException($"duplicate PEL entry {p.Id} in group '{groupName}'", nameof(groups));
                if (!pels.TryGetValue(Encoding.Latin1.GetString(p.Consumer), out var owned))
                    throw new ArgumentException($"PEL entry {p.Id} of group '{groupName}' names consumer '{Encoding.UTF8.GetString(p.Consumer)}', which the group lacks", nameof(groups));
                owned.Add(p.Id);
            }
            result.Add(pels);
        }
        return result;
    }
}
