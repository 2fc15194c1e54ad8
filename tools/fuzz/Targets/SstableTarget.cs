using TieredKv.Storage.Format;
using TieredKv.Storage.Table;
using TieredKv.Storage.Util;

namespace TieredKv.Fuzz.Targets;

/// <summary>
/// <see cref="TableReader"/> over a table file: open (footer, index, properties, filter), iterate forward and
/// backward over every entry, look up and seek the keys seen, and read every data block as verification does.
/// </summary>
internal sealed class SstableTarget : IFuzzTarget
{
    private const string FileName = "000001.sst";

    /// <summary>Keys sampled for point lookups and seeks; the rest are only iterated.</summary>
    private const int SampledKeys = 16;

    public string Name => "sstable";

    public long ProducedBytes { get; private set; }

    public void Run(ReadOnlySpan<byte> input)
    {
        ProducedBytes = 0;
        var cache = new BlockCache(1 << 20);
        using var table = TableReader.Open(new MemoryFile(FileName, input), 1, cache);
        var sampled = new List<byte[]>();
        long forward = 0;
        using (var it = table.NewIterator())
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                forward++;
                ProducedBytes += it.Key.Length + it.Value.Length;
                if (sampled.Count < SampledKeys) sampled.Add(it.Key.ToArray());
            }
            long backward = 0;
            for (it.SeekToLast(); it.Valid && backward <= forward; it.Prev()) backward++;
            if (backward != forward) throw new InvariantViolationException($"{forward} entries forwards but {backward} backwards");
            // Keys out of order pass the checksums undetected (as in LevelDB), so a seek may legitimately miss: no check on the result.
            foreach (byte[] key in sampled) it.Seek(key);
        }
        foreach (byte[] key in sampled)
        {
            var userKey = InternalKey.UserKey(key);
            _ = table.KeyMayMatch(userKey);
            table.TryGet(InternalKey.ForSeek(userKey, InternalKey.MaxSequence), out _, out _, out byte[] value);
            ProducedBytes += value.Length;
            _ = table.ApproximateOffsetOf(key);
        }
        foreach (var handle in table.DataBlockHandles()) ProducedBytes += table.ReadDataBlock(handle).Size;
    }

    public bool IsRejection(Exception e) => e is CorruptionException;

    /// <summary>Blocks are copied once or twice on the way out of the file; LZ4 legitimately expands up to ~255 times, so decoded data counts as produced.</summary>
    public long AllocationBudget(int inputLength, long producedBytes) => (2 << 20) + 64L * inputLength + 8 * producedBytes;

    /// <summary>Recomputes the footer checksum and the trailer of every block the footer and the index point at.</summary>
    public byte[] Repair(byte[] input)
    {
        if (input.Length < Footer.Size) return input;
        var copy = (byte[])input.Clone();
        var footer = copy.AsSpan(copy.Length - Footer.Size);
        Coding.WriteFixed32(footer[52..], Crc32C.Mask(Crc32C.Compute(footer[..52])));
        for (int i = 0; i < 3; i++) FixTrailer(copy, new BlockHandle(Coding.ReadFixed64(footer[(16 * i)..]), Coding.ReadFixed64(footer[(16 * i + 8)..])));
        var index = new BlockHandle(Coding.ReadFixed64(footer), Coding.ReadFixed64(footer[8..]));
        if (!Inside(copy, index)) return copy;
        try
        {
            var block = new Block(copy.AsSpan((int)index.Offset, (int)index.Size).ToArray(), (int)index.Size, FileName, (long)index.Offset);
            using var it = block.NewIterator();
            for (it.SeekToFirst(); it.Valid; it.Next())
                if (BlockHandle.TryDecode(it.Value, out var handle) > 0) FixTrailer(copy, handle);
        }
        catch (CorruptionException)
        {
            // An index too broken to walk: the data blocks keep their trailers.
        }
        return copy;
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("lz4-bloom.sst", Build(new TableBuilderOptions(BlockSize: 512, RestartInterval: 4), 120));
        yield return ("plain.sst", Build(new TableBuilderOptions(BlockSize: 256, RestartInterval: 16, Compression: CompressionType.None, BloomBitsPerKey: 0), 40));
        yield return ("one-entry.sst", Build(new TableBuilderOptions(), 1));
    }

    private static byte[] Build(TableBuilderOptions options, int count)
    {
        var file = new MemoryFile(FileName);
        var builder = new TableBuilder(file, options);
        for (int i = 0; i < count; i++)
        {
            byte[] userKey = System.Text.Encoding.ASCII.GetBytes($"key{i:D5}");
            var type = i % 9 == 4 ? EntryType.Deletion : EntryType.Value;
            byte[] value = type == EntryType.Deletion ? [] : System.Text.Encoding.ASCII.GetBytes($"value {i} " + new string('v', i % 50));
            builder.Add(InternalKey.Create(userKey, (ulong)(1000 - i), type), value);
        }
        builder.Finish();
        return file.ToArray();
    }

    private static bool Inside(byte[] file, BlockHandle h) =>
        h.Offset <= (ulong)file.Length && h.Size <= (ulong)file.Length && h.Offset + h.Size + BlockFormat.TrailerSize <= (ulong)file.Length - Footer.Size;

    private static void FixTrailer(byte[] file, BlockHandle h)
    {
        if (!Inside(file, h)) return;
        int offset = (int)h.Offset, size = (int)h.Size;
        var trailer = file.AsSpan(offset + size, BlockFormat.TrailerSize);
        BlockFormat.WriteTrailer(trailer, file.AsSpan(offset, size), (CompressionType)trailer[0]);
    }
}
