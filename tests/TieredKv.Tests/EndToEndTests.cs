using System.Diagnostics;
using System.Text;
using TieredKv.Keyspace;
using Xunit.Abstractions;

namespace TieredKv.Tests;

/// <summary>
/// A store with a 32 MiB memory budget takes several times that in all five types, is reopened,
/// and gives every value back, while the managed heap stays bounded by the budget and the engine's
/// buffers rather than by the data.
/// </summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private const long Budget = 32L << 20;
    private const int Strings = 100_000, StringSize = 1500;
    private const int Collections = 150, Elements = 600, ElementSize = 100;

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] Payload(string seed, int size)
    {
        var bytes = new byte[size];
        new Random(seed.GetHashCode(StringComparison.Ordinal)).NextBytes(bytes);
        return bytes;
    }

    private static TieredKvStore Open(string dir) => TieredKvStore.Open(dir, new TieredKvOptions
    {
        MaxMemoryBytes = Budget,
        AppendFsync = AppendFsync.No,
        Engine = new StorageOptions { WriteBufferSize = 8L << 20, BlockCacheBytes = 8L << 20 },
    });

    [Fact]
    public void DataSeveralTimesTheBudget_SurvivesReopen_WithBoundedHeap()
    {
        using var dir = new TempDirectory();
        long written = 0;
        using (var store = Open(dir.Path))
        {
            var db = store[0];
            for (int i = 0; i < Strings; i++) { db.Set(B($"str:{i}"), Payload($"s{i}", StringSize)); written += StringSize; }
            for (int c = 0; c < Collections; c++)
            {
                var fields = Enumerable.Range(0, Elements).Select(e => (B($"f{e}"), Payload($"h{c}:{e}", ElementSize))).ToList();
                db.HSet(B($"hash:{c}"), fields);
                db.RPush(B($"list:{c}"), Enumerable.Range(0, Elements).Select(e => Payload($"l{c}:{e}", ElementSize)).ToList());
                db.SAdd(B($"set:{c}"), Enumerable.Range(0, Elements).Select(e => B($"member-{c}-{e}-{new string('m', 40)}")).ToList());
                db.ZAdd(B($"zset:{c}"), Enumerable.Range(0, Elements).Select(e => ((double)e, B($"zm-{c}-{e}-{new string('z', 40)}"))).ToList());
                written += 4L * Elements * ElementSize;
            }
            Assert.True(written > 4 * Budget, $"wrote {written} bytes");
            Assert.True(store.GetStatistics().HotBytes <= Budget);
        }

        using (var store = Open(dir.Path))
        {
            var db = store[0];
            Assert.Equal(Strings + 4L * Collections, db.DbSize());
            for (int i = 0; i < Strings; i++) Assert.Equal(Payload($"s{i}", StringSize), db.Get(B($"str:{i}")));
            for (int c = 0; c < Collections; c++)
            {
                var hash = db.HGetAll(B($"hash:{c}"));
                Assert.Equal(Elements, hash.Count);
                foreach (var (field, value) in hash)
                    Assert.Equal(Payload($"h{c}:{Encoding.ASCII.GetString(field)[1..]}", ElementSize), value);
                for (int e = 0; e < Elements; e += 37) Assert.Equal(Payload($"h{c}:{e}", ElementSize), db.HGet(B($"hash:{c}"), B($"f{e}")));
                var list = db.LRange(B($"list:{c}"), 0, -1);
                Assert.Equal(Elements, list.Count);
                for (int e = 0; e < Elements; e += 41) Assert.Equal(Payload($"l{c}:{e}", ElementSize), list[e]);
                Assert.Equal(Elements, db.SCard(B($"set:{c}")));
                Assert.True(db.SIsMember(B($"set:{c}"), B($"member-{c}-7-{new string('m', 40)}")));
                Assert.Equal(Elements, db.ZCard(B($"zset:{c}")));
                Assert.Equal(123.0, db.ZScore(B($"zset:{c}"), B($"zm-{c}-123-{new string('z', 40)}")));
            }
            var stats = store.GetStatistics();
            long heap = GC.GetTotalMemory(forceFullCollection: true);
            long peakRss = Process.GetCurrentProcess().PeakWorkingSet64;
            output.WriteLine($"wrote {written / (1 << 20)} MiB; heap after reading everything back {heap / (1 << 20)} MiB; hot tier {stats.HotBytes / (1 << 20)} MiB / {Budget / (1 << 20)} MiB; peak RSS {peakRss / (1 << 20)} MiB");
            // Budget + two memtables + block cache + slack: far less than the data.
            Assert.True(heap < written / 2, $"managed heap {heap} bytes for {written} bytes of data");
        }
    }
}
