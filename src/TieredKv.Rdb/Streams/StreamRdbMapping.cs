using TieredKv.Keyspace;

namespace TieredKv.Rdb.Streams;

/// <summary>
/// Between the store's stream (<see cref="StreamContents"/>, <see cref="StreamImport"/>) and the RDB model: export maps
/// a stream as it is streamed from a snapshot, import feeds a stream as it is read from a file, entry by entry, so
/// neither side holds a stream's entries in memory.
/// </summary>
internal static class StreamRdbMapping
{
    /// <summary>The RDB model of a stream; its entries are enumerated again (from the store) on each pass of the writer.</summary>
    public static (IEnumerable<RdbStreamEntry> Entries, RdbStreamMetadata Metadata, IReadOnlyList<RdbStreamGroup> Groups) ToRdb(StreamContents stream) =>
        (stream.Entries.Select(e => new RdbStreamEntry(e.Id, Pairs(e.FieldsAndValues))),
         new RdbStreamMetadata(stream.Length, stream.LastId, stream.FirstId, stream.MaxDeletedId, (long)stream.EntriesAdded),
         stream.Groups.Select(ToRdb).ToList());

    private static RdbStreamGroup ToRdb(StreamGroupExport group) => new(group.Name, group.LastDeliveredId, group.EntriesRead,
        group.Pending.Select(p => new RdbStreamPendingEntry(p.Id, p.DeliveryTimeMs, (ulong)p.DeliveryCount, p.Consumer)).ToList(),
        // The store keeps a consumer's seen time only; Redis 7.2's active time defaults to it, as Redis assumes for older files.
        group.Consumers.Select(c => new RdbStreamConsumer(c.Name, c.SeenTimeMs, c.SeenTimeMs)).ToList());

    private static List<KeyValuePair<byte[], byte[]>> Pairs(IReadOnlyList<byte[]> fieldsAndValues)
    {
        var pairs = new List<KeyValuePair<byte[], byte[]>>(fieldsAndValues.Count / 2);
        for (int i = 0; i + 1 < fieldsAndValues.Count; i += 2) pairs.Add(new(fieldsAndValues[i], fieldsAndValues[i + 1]));
        return pairs;
    }

    /// <summary>Writes a stream read from a file or payload as <paramref name="key"/>; false when its expiry has passed.</summary>
    public static bool Import(RdbStream stream, KvDatabase db, ReadOnlySpan<byte> key, long? expireAtUnixMs, bool replace)
    {
        using var import = db.BeginStreamImport(key, expireAtUnixMs, replace);
        foreach (var entry in stream.Entries()) import.AddEntry(entry.Id, Flatten(entry.Fields));
        var metadata = stream.Metadata;
        import.SetState(metadata.LastId, (ulong)Math.Max(0, metadata.EntriesAdded), metadata.MaxDeletedEntryId);
        foreach (var group in stream.Groups)
        {
            import.AddGroup(group.Name, group.LastDeliveredId, group.EntriesRead);
            foreach (var pending in group.Pending)
                import.AddPending(group.Name, pending.Id, pending.DeliveryTimeMs, (long)Math.Min(pending.DeliveryCount, long.MaxValue));
            foreach (var consumer in group.Consumers) import.AddConsumer(group.Name, consumer.Name, consumer.SeenTimeMs, group.PendingOf(consumer.Name));
        }
        return import.Complete();
    }

    private static byte[][] Flatten(IReadOnlyList<KeyValuePair<byte[], byte[]>> fields)
    {
        var flat = new byte[fields.Count * 2][];
        for (int i = 0; i < fields.Count; i++)
        {
            flat[2 * i] = fields[i].Key;
            flat[2 * i + 1] = fields[i].Value;
        }
        return flat;
    }
}
