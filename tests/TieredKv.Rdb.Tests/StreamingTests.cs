namespace TieredKv.Rdb.Tests;

/// <summary>A collection far larger than the heap budget is written and read element by element, never held whole.</summary>
[Collection(MemoryMeasuredCollection.Name)]
public sealed class StreamingTests
{
    private const int Fields = 400_000;
    private const int ValueSize = 200; // about 90 MiB of hash in the file

    private static byte[] Value(int i)
    {
        var v = new byte[ValueSize];
        new Random(i).NextBytes(v); // incompressible: the file really is that large
        return v;
    }

    [Fact]
    public void Huge_hash_is_written_and_read_in_bounded_heap()
    {
        string path = Path.Combine(Path.GetTempPath(), "rdb-huge-" + Guid.NewGuid().ToString("N") + ".rdb");
        try
        {
            long peak = 0;
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var w = new RdbWriter(f);
                w.SelectDatabase(0, 1, 0);
                w.BeginHash("huge"u8, Fields);
                for (int i = 0; i < Fields; i++)
                {
                    w.AddHashField(BitConverter.GetBytes(i), Value(i));
                    if (i % 100_000 == 99_999) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                }
                w.Finish();
            }
            Assert.True(new FileInfo(path).Length > (long)Fields * ValueSize);

            int seen = 0;
            using (var f = File.OpenRead(path))
            {
                var reader = new RdbReader(f);
                Assert.True(reader.TryReadNext(out var e));
                Assert.Equal(Fields, e.Value.Count);
                foreach (var (field, value) in e.Value.HashFields())
                {
                    Assert.Equal(seen, BitConverter.ToInt32(field));
                    if (seen % 1000 == 0) Assert.Equal(Value(seen), value);
                    if (++seen % 100_000 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                }
                Assert.False(reader.TryReadNext(out _));
                Assert.True(reader.ChecksumVerified);
            }
            Assert.Equal(Fields, seen);
            Assert.True(peak < 24 << 20, $"heap reached {peak >> 20} MiB for a {(long)Fields * ValueSize >> 20} MiB hash");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
