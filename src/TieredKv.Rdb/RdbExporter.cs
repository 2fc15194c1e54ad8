using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>
/// Writes a keyspace snapshot as an RDB file (version 10) in bounded memory: keys are taken in order from
/// the snapshot and their elements streamed straight into the <see cref="RdbWriter"/>.
/// </summary>
public static class RdbExporter
{
    /// <summary>How often (in keys) progress is reported, besides at the end.</summary>
    private const int ProgressEveryKeys = 1000;

    /// <summary>Exports every database of <paramref name="store"/> as of now (one LSM snapshot).</summary>
    public static RdbExportResult Export(TieredKvStore store, Stream output, IProgress<long>? bytesWritten = null, RdbWriterOptions? options = null, CancellationToken cancellation = default)
    {
        using KeyspaceSnapshot snapshot = store.OpenSnapshot();
        return Export(snapshot, output, bytesWritten, options, cancellation);
    }

    /// <summary>Exports a snapshot; <paramref name="bytesWritten"/> receives the bytes produced so far every 1000 keys and at the end.</summary>
    public static RdbExportResult Export(KeyspaceSnapshot snapshot, Stream output, IProgress<long>? bytesWritten = null, RdbWriterOptions? options = null, CancellationToken cancellation = default) =>
        ExportCore(snapshot, output, bytesWritten == null ? null : p => bytesWritten.Report(p.Bytes), options, cancellation);

    /// <summary>Exports a snapshot; <paramref name="progress"/> receives keys and bytes written so far every 1000 keys and at the end (tools that show progress by keys).</summary>
    public static RdbExportResult Export(KeyspaceSnapshot snapshot, Stream output, IProgress<RdbExportProgress> progress, RdbWriterOptions? options = null, CancellationToken cancellation = default) =>
        ExportCore(snapshot, output, progress.Report, options, cancellation);

    private static RdbExportResult ExportCore(KeyspaceSnapshot snapshot, Stream output, Action<RdbExportProgress>? report, RdbWriterOptions? options, CancellationToken cancellation)
    {
        var writer = new RdbWriter(output, options);
        var perType = new Dictionary<KeyType, long>();
        long keys = 0;
        for (int db = 0; db < snapshot.DatabaseCount; db++)
        {
            long count = snapshot.KeyCount(db);
            if (count == 0) continue;
            // The expires count is only a hash-table sizing hint for the loader; counting it would cost a pass.
            writer.SelectDatabase(db, count, 0);
            foreach (SnapshotKey key in snapshot.Keys(db))
            {
                cancellation.ThrowIfCancellationRequested();
                WriteKey(writer, key);
                perType[key.Type] = perType.GetValueOrDefault(key.Type) + 1;
                if (++keys % ProgressEveryKeys == 0) report?.Invoke(new RdbExportProgress(keys, writer.BytesWritten));
            }
        }
        writer.Finish();
        report?.Invoke(new RdbExportProgress(keys, writer.BytesWritten));
        return new RdbExportResult(keys, writer.BytesWritten, perType);
    }

    private static void WriteKey(RdbWriter writer, SnapshotKey key)
    {
        long? expireAt = key.ExpireAtUnixMs;
        switch (key.Type)
        {
            case KeyType.String:
                writer.WriteString(key.Key, key.StringValue(), expireAt);
                break;
            case KeyType.Hash:
                writer.BeginHash(key.Key, key.Count, expireAt);
                foreach (var (field, value) in key.HashFields()) writer.AddHashField(field, value);
                break;
            case KeyType.Set:
                writer.BeginSet(key.Key, key.Count, expireAt);
                foreach (byte[] member in key.SetMembers()) writer.AddSetMember(member);
                break;
            case KeyType.List:
                writer.BeginList(key.Key, key.Count, expireAt);
                foreach (byte[] item in key.ListItems()) writer.AddListItem(item);
                break;
            case KeyType.SortedSet:
                writer.BeginSortedSet(key.Key, key.Count, expireAt);
                foreach (var (member, score) in key.SortedSetMembers()) writer.AddSortedSetMember(member, score);
                break;
            case KeyType.Stream:
                var (entries, metadata, groups) = Streams.StreamRdbMapping.ToRdb(key.StreamContents());
                writer.WriteStream(key.Key, entries, metadata, groups, expireAt);
                break;
            default:
                throw new InvalidOperationException($"key of type {key.Type} cannot be exported");
        }
    }
}
