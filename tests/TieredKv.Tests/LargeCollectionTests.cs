using System.Text;
using Xunit.Abstractions;
using TieredKv.Types.SortedSets;

namespace TieredKv.Tests;

/// <summary>
/// A sorted set far larger than the memory budget answers score, range, rank and count queries
/// from its index without being loaded: the managed heap stays small while it is queried.
/// CI runs 1M members; set TKV_LARGE_MEMBERS (e.g. 10000000) for the full-size run.
/// </summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class LargeCollectionTests(ITestOutputHelper output)
{
    private static byte[] Member(long i) => Encoding.ASCII.GetBytes($"member:{i:D9}");

    [Fact]
    public void HugeSortedSet_IsQueriedWithoutLoadingIt()
    {
        long members = long.TryParse(Environment.GetEnvironmentVariable("TKV_LARGE_MEMBERS"), out long n) ? n : 1_000_000;
        using var f = new StoreFixture(o => o with
        {
            MaxMemoryBytes = 4L << 20,
            Engine = new StorageOptions { WriteBufferSize = 8L << 20, BlockCacheBytes = 4L << 20 },
        });
        var db = f.Db;
        var key = "big"u8.ToArray();
        var chunk = new List<(double, byte[])>(10_000);
        for (long i = 0; i < members; i++)
        {
            chunk.Add((i * 2.0, Member(i)));
            if (chunk.Count == chunk.Capacity || i == members - 1)
            {
                db.ZAdd(key, chunk);
                chunk.Clear();
            }
        }
        f.Reopen();
        db = f.Db;

        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long middle = members / 2;
        Assert.Equal(members, db.ZCard(key));
        Assert.Equal(middle * 2.0, db.ZScore(key, Member(middle)));
        var range = db.ZRangeByScore(key, new ScoreBound(middle * 2.0), new ScoreBound(middle * 2.0 + 18));
        Assert.Equal(10, range.Count);
        Assert.Equal(Member(middle), range[0].Member);
        Assert.Equal(1000, db.ZCount(key, new ScoreBound(0), new ScoreBound(1998)));
        Assert.Equal(members - 1, db.ZRank(key, Member(members - 1)) ?? -1);
        Assert.Equal(10, db.ZRangeByRank(key, members - 10, -1).Count);
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        output.WriteLine($"{members:N0} members; heap before queries {heapBefore >> 20} MiB, after {heapAfter >> 20} MiB");
        // The set's elements alone are tens of MiB: queries must not keep them in memory.
        Assert.True(heapAfter - heapBefore < 24L << 20, $"queries grew the heap by {(heapAfter - heapBefore) >> 20} MiB");
    }
}
