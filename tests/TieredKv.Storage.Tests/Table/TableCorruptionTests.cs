using TieredKv.Storage.Format;
using TieredKv.Storage.Table;
using static TieredKv.Storage.Tests.Table.TableTestHelpers;

namespace TieredKv.Storage.Tests.Table;

public sealed class TableCorruptionTests
{
    private static readonly List<TestEntry> Entries = MakeEntries(120);

    /// <summary>Everything a reader can tell about the table: a full scan, then a lookup of every entry.</summary>
    private static List<(byte[], byte[])> ReadAll(byte[] table)
    {
        var result = new List<(byte[], byte[])>();
        using var reader = Open(table);
        using (var it = reader.NewIterator())
        {
            for (it.SeekToFirst(); it.Valid; it.Next()) result.Add((it.Key.ToArray(), it.Value.ToArray()));
            for (it.SeekToLast(); it.Valid; it.Prev()) result.Add((it.Key.ToArray(), it.Value.ToArray()));
        }
        foreach (var e in Entries)
        {
            var uk = InternalKey.UserKey(e.Key);
            bool found = reader.TryGet(InternalKey.ForSeek(uk, InternalKey.Sequence(e.Key)), out ulong seq, out var type, out var value);
            result.Add((found ? InternalKey.Create(uk, seq, type) : [], value));
        }
        return result;
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public void FlippedBit_AnywhereInTheFile_IsDetected(CompressionType compression)
    {
        var table = BuildTable(Entries, new TableBuilderOptions(BlockSize: 512, RestartInterval: 4, Compression: compression, BloomBitsPerKey: 10));
        var expected = ReadAll(table);
        int undetected = 0;
        for (int pos = 0; pos < table.Length; pos++)
        {
            var damaged = (byte[])table.Clone();
            damaged[pos] ^= (byte)(1 << (pos % 8));
            try
            {
                var got = ReadAll(damaged);
                // Only acceptable if the bit was ignored: the data must be exactly the original.
                Assert.Equal(expected.Count, got.Count);
                for (int i = 0; i < got.Count; i++)
                {
                    Assert.Equal(expected[i].Item1, got[i].Item1);
                    Assert.Equal(expected[i].Item2, got[i].Item2);
                }
                undetected++;
            }
            catch (CorruptionException)
            {
            }
        }
        Assert.Equal(0, undetected);
    }

    [Fact]
    public void TruncatedFile_ThrowsCorruptionOnOpen()
    {
        var table = BuildTable(Entries, new TableBuilderOptions(BlockSize: 512));
        foreach (int length in new[] { 0, 1, 10, 63, 64, 65, table.Length / 2, table.Length - 64, table.Length - 8, table.Length - 1 })
        {
            var cut = table.AsSpan(0, length).ToArray();
            var e = Assert.Throws<CorruptionException>(() => Open(cut));
            Assert.Equal("mem.sst", e.FileName);
        }
    }

    [Fact]
    public void CorruptDataBlock_NamesTheFileAndBlockOffset()
    {
        var table = BuildTable(Entries, new TableBuilderOptions(BlockSize: 512, Compression: CompressionType.None));
        table[3] ^= 0x10; // inside the first data block, at offset 0
        using var reader = Open(table);
        using var it = reader.NewIterator();
        var e = Assert.Throws<CorruptionException>(() => it.SeekToFirst());
        Assert.Equal("mem.sst", e.FileName);
        Assert.Equal(0, e.Offset);
    }
}
