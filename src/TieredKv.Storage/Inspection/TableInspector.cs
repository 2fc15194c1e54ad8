using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Inspection;

/// <summary>
/// Reads a table file offline with the engine's own reader: footer, index, filter and properties
/// (checked on open), then every data block (checksum, decompression, entry structure), checking
/// that keys strictly increase, that the bloom filter admits every key and that the properties
/// match what was read. Damage is collected, not thrown: a bad block does not hide the others.
/// </summary>
public static class TableInspector
{
    /// <param name="progress">Called now and then with the file offset reached.</param>
    public static TableSummary Inspect(string path, Action<long>? progress = null)
    {
        var corruptions = new List<Corruption>();
        var fs = new LocalFileSystem();
        long fileSize = fs.GetFileLength(path);
        IRandomAccessFile file = fs.OpenRandomAccess(path);
        TableReader reader;
        try
        {
            reader = TableReader.Open(file, 0, null, null);
        }
        catch (CorruptionException e)
        {
            file.Dispose();
            return new TableSummary { File = path, FileSize = fileSize, Corruptions = [new Corruption(path, e.Offset, e.Reason)] };
        }

        using (reader)
        {
            var footer = reader.Footer;
            long entries = 0, deletions = 0, blocks = 0, compressed = 0, stored = 0, uncompressed = 0, keyBytes = 0, valueBytes = 0;
            byte[]? previous = null, first = null;
            ulong? minSeq = null, maxSeq = null;
            bool filterMiss = false;
            foreach (var handle in SafeHandles(reader, corruptions))
            {
                blocks++;
                stored += (long)handle.Size;
                Block block;
                try
                {
                    block = reader.ReadDataBlock(handle);
                }
                catch (CorruptionException e)
                {
                    corruptions.Add(new Corruption(path, e.Offset, e.Reason));
                    continue;
                }
                uncompressed += block.Size;
                if ((long)handle.Size != block.Size) compressed++;
                try
                {
                    var it = block.NewIterator();
                    for (it.SeekToFirst(); it.Valid; it.Next())
                    {
                        var key = it.Key;
                        if (previous != null && InternalKey.Compare(previous, key) >= 0)
                            corruptions.Add(new Corruption(path, (long)handle.Offset, $"key {InternalKey.Describe(key)} does not follow {InternalKey.Describe(previous)}"));
                        previous = key.ToArray();
                        first ??= previous;
                        entries++;
                        keyBytes += key.Length;
                        valueBytes += it.Value.Length;
                        if (InternalKey.Type(key) == EntryType.Deletion) deletions++;
                        ulong seq = InternalKey.Sequence(key);
                        minSeq = Math.Min(minSeq ?? seq, seq);
                        maxSeq = Math.Max(maxSeq ?? seq, seq);
                        if (!filterMiss && !reader.KeyMayMatch(InternalKey.UserKey(key)))
                        {
                            filterMiss = true;
                            corruptions.Add(new Corruption(path, (long)footer.Filter.Offset, $"the bloom filter rejects key {InternalKey.Describe(key)}, which the table holds"));
                        }
                    }
                }
                catch (CorruptionException e)
                {
                    corruptions.Add(new Corruption(path, e.Offset, e.Reason));
                }
                if (blocks % 64 == 0) progress?.Invoke((long)handle.Offset);
            }

            var p = reader.Properties;
            if (corruptions.Count == 0)
            {
                void Check(string name, ulong recorded, long counted)
                {
                    if (recorded != (ulong)counted)
                        corruptions.Add(new Corruption(path, (long)footer.Properties.Offset, $"properties record {name} {recorded} but the table holds {counted}"));
                }
                Check("entry count", p.EntryCount, entries);
                Check("deletion count", p.DeletionCount, deletions);
                Check("data block count", p.DataBlockCount, blocks);
                Check("raw key bytes", p.RawKeyBytes, keyBytes);
                Check("raw value bytes", p.RawValueBytes, valueBytes);
            }
            progress?.Invoke(fileSize);
            return new TableSummary
            {
                File = path,
                FileSize = fileSize,
                Entries = entries,
                Deletions = deletions,
                DataBlocks = blocks,
                CompressedBlocks = compressed,
                StoredDataBytes = stored,
                UncompressedDataBytes = uncompressed,
                IndexBytes = (long)footer.Index.Size,
                FilterBytes = (long)footer.Filter.Size,
                PropertiesBytes = (long)footer.Properties.Size,
                KeyBytes = keyBytes,
                ValueBytes = valueBytes,
                SmallestKey = first == null ? null : InternalKey.UserKey(first).ToArray(),
                LargestKey = previous == null ? null : InternalKey.UserKey(previous).ToArray(),
                SmallestSequence = minSeq,
                LargestSequence = maxSeq,
                Properties = new Dictionary<string, ulong>
                {
                    ["entries"] = p.EntryCount,
                    ["deletions"] = p.DeletionCount,
                    ["smallest-sequence"] = p.SmallestSequence,
                    ["largest-sequence"] = p.LargestSequence,
                    ["raw-key-bytes"] = p.RawKeyBytes,
                    ["raw-value-bytes"] = p.RawValueBytes,
                    ["data-blocks"] = p.DataBlockCount,
                    ["filter-bits-per-key"] = p.FilterBitsPerKey,
                },
                Corruptions = corruptions,
            };
        }
    }

    /// <summary>The index's block handles; a malformed index entry ends the walk with a corruption.</summary>
    private static IEnumerable<BlockHandle> SafeHandles(TableReader reader, List<Corruption> corruptions)
    {
        using var handles = reader.DataBlockHandles().GetEnumerator();
        while (true)
        {
            try
            {
                if (!handles.MoveNext()) yield break;
            }
            catch (CorruptionException e)
            {
                corruptions.Add(new Corruption(reader.FileName, e.Offset, e.Reason));
                yield break;
            }
            yield return handles.Current;
        }
    }
}
