using System.IO.Hashing;
using System.Text;
using TieredKv.Keyspace;
using Xunit.Abstractions;

namespace TieredKv.Tests.Keyspace;

/// <summary>Exporting a collection far larger than the heap growth allowed streams it: the managed heap stays flat while every element is read.</summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class ExportMemoryTests(ITestOutputHelper output)
{
    private const int Elements = 250_000;
    private static byte[] Field(int i) => Encoding.ASCII.GetBytes($"field:{i:D9}");

    [Fact]
    public void LargeHash_IsExportedWithBoundedHeap()
    {
        using var f = new StoreFixture(o => o with
        {
            MaxMemoryBytes = 4L << 20,
            Engine = new StorageOptions { WriteBufferSize = 8L << 20, BlockCacheBytes = 4L << 20 },
        });
        var value = new byte[100];
        var expected = new XxHash64();
        using (var import = f.Db.BeginImport("big"u8, KeyType.Hash))
        {
            for (int i = 0; i < Elements; i++)
            {
                var field = Field(i);
                value.AsSpan().Fill((byte)i);
                import.AddHashField(field, value);
                expected.Append(field);
                expected.Append(value);
            }
            import.Complete();
        }
        f.Reopen();

        using var snap = f.Store.OpenSnapshot();
        var key = Assert.Single(snap.Keys(0));
        Assert.Equal(Elements, key.Count);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true), heapPeak = heapBefore;
        var actual = new XxHash64();
        long read = 0;
        foreach (var (field, v) in key.HashFields())
        {
            actual.Append(field);
            actual.Append(v);
            if (++read % 50_000 == 0) heapPeak = Math.Max(heapPeak, GC.GetTotalMemory(forceFullCollection: true));
        }

        output.WriteLine($"{read:N0} elements (~{read * 115 >> 20} MiB); heap before {heapBefore >> 20} MiB, peak while reading {heapPeak >> 20} MiB");
        Assert.Equal(Elements, read);
        Assert.Equal(expected.GetCurrentHashAsUInt64(), actual.GetCurrentHashAsUInt64());
        // The elements are ~27 MiB: streaming must keep only a few blocks and the current element.
        Assert.True(heapPeak - heapBefore < 8L << 20, $"the export grew the heap by {(heapPeak - heapBefore) >> 20} MiB");
    }
}
