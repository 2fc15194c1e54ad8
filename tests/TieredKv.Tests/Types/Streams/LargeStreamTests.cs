using System.Text;
using Xunit.Abstractions;

namespace TieredKv.Tests.Types.Streams;

/// <summary>
/// A stream far larger than the memory budget is appended to, read from the middle, trimmed and consumed by a group
/// without being loaded: the managed heap stays small. CI runs 200k entries; set TKV_LARGE_STREAM_ENTRIES (e.g.
/// 20000000) for the full-size run.
/// </summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class LargeStreamTests(ITestOutputHelper output)
{
    private static readonly byte[] Key = "big"u8.ToArray();
    private static readonly byte[] Group = "g"u8.ToArray();

    [Fact]
    public void HugeStream_IsAppendedReadTrimmedAndConsumed_WithoutLoadingIt()
    {
        long entries = long.TryParse(Environment.GetEnvironmentVariable("TKV_LARGE_STREAM_ENTRIES"), out long n) ? n : 200_000;
        using var f = new StoreFixture(o => o with
        {
            MaxMemoryBytes = 4L << 20,
            Engine = new StorageOptions { WriteBufferSize = 8L << 20, BlockCacheBytes = 4L << 20 },
        });
        var payload = Encoding.ASCII.GetBytes(new string('p', 64));
        for (long i = 1; i <= entries; i++) f.Db.XAdd(Key, new StreamId((ulong)i, 0), seqGiven: true, ["n"u8.ToArray(), payload]);
        f.Db.XGroupCreate(Key, Group, _ => StreamId.Min, mkStream: false, StreamGroup.UnknownEntriesRead);
        f.Reopen();
        var db = f.Db;

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(entries, db.XLen(Key));
        ulong middle = (ulong)entries / 2;
        var range = db.XRange(Key, new StreamId(middle, 0), StreamId.Max, 10)!;
        Assert.Equal(new StreamId(middle, 0), range[0].Id);
        Assert.Equal(10, range.Count);
        Assert.Equal(new StreamId((ulong)entries, 0), db.XRange(Key, StreamId.Min, StreamId.Max, 1, reverse: true)![0].Id);

        long trimmed = db.XTrim(Key, new StreamTrimOptions(StreamTrimStrategy.MinId, 0, new StreamId(middle, 0), Approximate: false, Limit: 0));
        Assert.Equal((long)middle - 1, trimmed);
        Assert.Equal(new StreamId(middle, 0), db.XRange(Key, StreamId.Min, StreamId.Max, 1)![0].Id);

        for (int round = 0; round < 200; round++)
        {
            var read = db.XReadGroup(Key, Group, "worker"u8.ToArray(), after: null, count: 100, noAck: false)!;
            Assert.Equal(100, read.Count);
            var ids = read.ConvertAll(r => r.Id);
            Assert.Equal(100, db.XAck(Key, Group, () => ids));
        }
        db.XAdd(Key, null, seqGiven: true, ["n"u8.ToArray(), payload]);
        Assert.Equal(0, db.XPendingSummary(Key, Group).Count);
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"{entries:N0} entries; heap before {heapBefore >> 20} MiB, after {heapAfter >> 20} MiB");
        Assert.True(heapAfter - heapBefore < 24L << 20, $"the stream operations grew the heap by {(heapAfter - heapBefore) >> 20} MiB");
    }
}
