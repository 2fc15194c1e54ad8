using TieredKv.Storage.Format;
using TieredKv.Storage.Table;
using static TieredKv.Storage.Tests.Table.TableTestHelpers;

namespace TieredKv.Storage.Tests.Table;

public sealed class TableRoundTripTests
{
    private const int KeyCount = 20_000;
    private static readonly Lazy<List<TestEntry>> Entries = new(() => MakeEntries(KeyCount));
    private static readonly Lazy<byte[]> Lz4Table = new(() => BuildTable(Entries.Value, Options(CompressionType.Lz4)));
    private static readonly Lazy<byte[]> PlainTable = new(() => BuildTable(Entries.Value, Options(CompressionType.None)));

    private static TableBuilderOptions Options(CompressionType c) => new(BlockSize: 1024, RestartInterval: 16, Compression: c, BloomBitsPerKey: 10);

    private static byte[] TableFor(CompressionType c) => c == CompressionType.Lz4 ? Lz4Table.Value : PlainTable.Value;

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public void ForwardScan_ReturnsEveryEntry(CompressionType compression)
    {
        using var reader = Open(TableFor(compression));
        using var it = reader.NewIterator();
        var entries = Entries.Value;
        int i = 0;
        for (it.SeekToFirst(); it.Valid; it.Next(), i++)
        {
            Assert.True(it.Key.SequenceEqual(entries[i].Key));
            Assert.True(it.Value.SequenceEqual(entries[i].Value));
        }
        Assert.Equal(entries.Count, i);
        Assert.True(reader.Properties.DataBlockCount > 100);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public void BackwardScan_ReturnsEveryEntryInReverse(CompressionType compression)
    {
        using var reader = Open(TableFor(compression));
        using var it = reader.NewIterator();
        var entries = Entries.Value;
        int i = entries.Count - 1;
        for (it.SeekToLast(); it.Valid; it.Prev(), i--)
            Assert.True(it.Key.SequenceEqual(entries[i].Key));
        Assert.Equal(-1, i);
    }

    [Fact]
    public void Lz4_MakesTheTableSmaller() => Assert.True(Lz4Table.Value.Length < PlainTable.Value.Length);

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public void Seek_PositionsAtFirstEntryAtOrAfterTarget(CompressionType compression)
    {
        using var reader = Open(TableFor(compression));
        using var it = reader.NewIterator();
        var entries = Entries.Value;
        for (int i = 0; i < entries.Count; i += 37)
        {
            it.Seek(entries[i].Key);
            Assert.True(it.Key.SequenceEqual(entries[i].Key));
            it.Prev();
            if (i > 0) Assert.True(it.Key.SequenceEqual(entries[i - 1].Key));
            else Assert.False(it.Valid);
        }
        it.Seek(InternalKey.Create("key00000005x"u8, 1, EntryType.Value)); // between key5 and key6
        Assert.True(InternalKey.UserKey(it.Key).SequenceEqual(UserKey(6)));
        it.Seek(InternalKey.Create("zzz"u8, 1, EntryType.Value));
        Assert.False(it.Valid);
    }

    [Theory]
    [InlineData(CompressionType.None)]
    [InlineData(CompressionType.Lz4)]
    public void TryGet_FindsEveryLatestVersion(CompressionType compression)
    {
        using var reader = Open(TableFor(compression));
        for (int i = 0; i < KeyCount; i++)
        {
            ulong seq = (ulong)(100 + i);
            Assert.True(reader.TryGet(InternalKey.ForSeek(UserKey(i), InternalKey.MaxSequence), out ulong gotSeq, out var type, out var value));
            Assert.Equal(seq, gotSeq);
            if (i % 7 == 3)
            {
                Assert.Equal(EntryType.Deletion, type);
                Assert.Empty(value);
            }
            else
            {
                Assert.Equal(EntryType.Value, type);
                Assert.Equal(ValueFor(i, seq), value);
            }
        }
    }

    [Fact]
    public void TryGet_ReturnsNewestVisibleVersion()
    {
        using var reader = Open(Lz4Table.Value);
        var uk = UserKey(10); // versions at 110, 60, 30
        Assert.True(reader.TryGet(InternalKey.ForSeek(uk, 109), out ulong seq, out _, out var value));
        Assert.Equal(60UL, seq);
        Assert.Equal(ValueFor(10, 60), value);
        Assert.True(reader.TryGet(InternalKey.ForSeek(uk, 60), out seq, out _, out _));
        Assert.Equal(60UL, seq);
        Assert.True(reader.TryGet(InternalKey.ForSeek(uk, 59), out seq, out _, out _));
        Assert.Equal(30UL, seq);
        Assert.False(reader.TryGet(InternalKey.ForSeek(uk, 29), out _, out _, out _));
    }

    [Fact]
    public void TryGet_MissesAbsentKeys_MostlyThroughTheBloomFilter()
    {
        var counters = new TableReadCounters();
        using var reader = Open(Lz4Table.Value, counters: counters);
        for (int i = 0; i < 2000; i++)
            Assert.False(reader.TryGet(InternalKey.ForSeek(System.Text.Encoding.ASCII.GetBytes($"key{i:D8}-absent"), InternalKey.MaxSequence), out _, out _, out _));
        Assert.False(reader.TryGet(InternalKey.ForSeek("zzz"u8, InternalKey.MaxSequence), out _, out _, out _));
        Assert.Equal(2001, counters.BloomChecks);
        Assert.True(counters.BloomUseful > 1900);
    }

    [Fact]
    public void Properties_CountEntriesDeletionsAndSequences()
    {
        using var reader = Open(PlainTable.Value);
        var entries = Entries.Value;
        var p = reader.Properties;
        Assert.Equal((ulong)entries.Count, p.EntryCount);
        Assert.Equal((ulong)entries.Count(e => InternalKey.Type(e.Key) == EntryType.Deletion), p.DeletionCount);
        Assert.Equal(20UL, p.SmallestSequence);
        Assert.Equal((ulong)(99 + KeyCount), p.LargestSequence);
        Assert.Equal((ulong)entries.Sum(e => (long)e.Key.Length), p.RawKeyBytes);
        Assert.Equal(10UL, p.FilterBitsPerKey);
    }

    [Fact]
    public void Builder_ReportsSizesAndBoundaryKeys()
    {
        var file = new MemoryWritableFile();
        var builder = new TableBuilder(file, Options(CompressionType.Lz4));
        var entries = MakeEntries(500);
        foreach (var e in entries) builder.Add(e.Key, e.Value);
        Assert.True(builder.FileSize > 0);
        builder.Finish();
        Assert.Equal(entries.Count, builder.NumEntries);
        Assert.Equal(file.Length, builder.FileSize);
        Assert.Equal(entries[0].Key, builder.SmallestKey);
        Assert.Equal(entries[^1].Key, builder.LargestKey);
    }

    [Fact]
    public void Builder_RejectsKeysOutOfOrder()
    {
        var builder = new TableBuilder(new MemoryWritableFile(), Options(CompressionType.None));
        builder.Add(InternalKey.Create("b"u8, 5, EntryType.Value), []);
        Assert.Throws<InvalidOperationException>(() => builder.Add(InternalKey.Create("b"u8, 5, EntryType.Value), []));
        Assert.Throws<InvalidOperationException>(() => builder.Add(InternalKey.Create("b"u8, 6, EntryType.Value), []));
        Assert.Throws<InvalidOperationException>(() => builder.Add(InternalKey.Create("a"u8, 1, EntryType.Value), []));
    }

    [Fact]
    public void EmptyTable_OpensAndIteratesNothing()
    {
        using var reader = Open(BuildTable([], Options(CompressionType.Lz4)));
        using var it = reader.NewIterator();
        it.SeekToFirst();
        Assert.False(it.Valid);
        it.SeekToLast();
        Assert.False(it.Valid);
        Assert.False(reader.TryGet(InternalKey.ForSeek("a"u8, 1), out _, out _, out _));
    }

    [Fact]
    public void TableWithoutFilter_StillFindsKeys()
    {
        var entries = MakeEntries(300);
        using var reader = Open(BuildTable(entries, Options(CompressionType.None) with { BloomBitsPerKey = 0 }));
        Assert.True(reader.KeyMayMatch("anything"u8));
        Assert.True(reader.TryGet(InternalKey.ForSeek(UserKey(42), InternalKey.MaxSequence), out ulong seq, out _, out _));
        Assert.Equal(142UL, seq);
    }

    [Fact]
    public void ApproximateOffsetOf_GrowsWithTheKey()
    {
        var bytes = PlainTable.Value;
        using var reader = Open(bytes);
        long first = reader.ApproximateOffsetOf(InternalKey.ForSeek(UserKey(0), InternalKey.MaxSequence));
        long middle = reader.ApproximateOffsetOf(InternalKey.ForSeek(UserKey(KeyCount / 2), InternalKey.MaxSequence));
        long past = reader.ApproximateOffsetOf(InternalKey.ForSeek("zzz"u8, InternalKey.MaxSequence));
        Assert.Equal(0, first);
        Assert.InRange(middle, bytes.Length / 3, bytes.Length * 2 / 3);
        Assert.InRange(past, middle, bytes.Length);
    }

    [Fact]
    public void ConcurrentTryGets_AllSucceed()
    {
        using var reader = Open(Lz4Table.Value, new BlockCache(64 * 1024));
        Parallel.For(0, 4, t =>
        {
            for (int i = t; i < KeyCount; i += 4)
                Assert.True(reader.TryGet(InternalKey.ForSeek(UserKey(i), InternalKey.MaxSequence), out _, out _, out _));
        });
    }
}
