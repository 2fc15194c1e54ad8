using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb.Tests.Streams;

/// <summary>A stream far larger than the heap budget is written from a generator and read back entry by entry, never held whole.</summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class StreamStreamingTests
{
    private const int Entries = 300_000;
    private const int ValueSize = 200; // about 60 MiB of entries in the file

    [Fact]
    public void Huge_stream_is_written_and_read_in_bounded_heap()
    {
        using var dir = new TempDirectory("rdb-huge-stream-");
        string path = dir.File("huge.rdb");
        long peak = 0;
        var metadata = new RdbStreamMetadata(Entries, new StreamId(Entries, 1), new StreamId(1, 0), StreamId.Min, Entries);
        var group = new RdbStreamGroup("g"u8.ToArray(), new StreamId(2, 1), 4,
            [new RdbStreamPendingEntry(new StreamId(2, 1), 1000, 1, "c"u8.ToArray())], [new RdbStreamConsumer("c"u8.ToArray(), 1000, 1000)]);
        using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var w = new RdbWriter(f);
            w.SelectDatabase(0, 1, 0);
            w.WriteStream("huge"u8, Generate(() => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true))), metadata, [group]);
            w.Finish();
        }
        Assert.True(new FileInfo(path).Length > (long)Entries * ValueSize);

        int seen = 0;
        using (var f = File.OpenRead(path))
        {
            var reader = new RdbReader(f) { ReadStreams = true };
            Assert.True(reader.TryReadNext(out var e));
            var stream = e.Value.Stream();
            foreach (var entry in stream.Entries())
            {
                seen++;
                Assert.Equal(Id(seen), entry.Id);
                if (seen % 1000 == 0) Assert.Equal(Value(seen), entry.Fields[1].Value);
                if (seen % 100_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
            Assert.Equal(metadata, stream.Metadata);
            Assert.Equal(new StreamId(2, 1), Assert.Single(Assert.Single(stream.Groups).Pending).Id);
            Assert.False(reader.TryReadNext(out _));
            Assert.True(reader.ChecksumVerified);
        }
        Assert.Equal(Entries, seen);
        Assert.True(peak < 24 << 20, $"heap reached {peak >> 20} MiB for a {(long)Entries * ValueSize >> 20} MiB stream");
    }

    /// <summary>Entry i is (i, 0) or (i, 1) alternately, with a counter and an incompressible value; made afresh on each enumeration.</summary>
    private static IEnumerable<RdbStreamEntry> Generate(Action measure)
    {
        for (int i = 1; i <= Entries; i++)
        {
            yield return new RdbStreamEntry(Id(i), [new("n"u8.ToArray(), BitConverter.GetBytes(i)), new("value"u8.ToArray(), Value(i))]);
            if (i % 100_000 == 0) measure();
        }
    }

    private static StreamId Id(int i) => new((ulong)i, (ulong)(i % 2));

    private static byte[] Value(int i)
    {
        var v = new byte[ValueSize];
        new Random(i).NextBytes(v);
        return v;
    }
}
