using TieredKv.Storage.Format;
using TieredKv.Storage.Table;
using static TieredKv.Storage.Tests.Table.TableTestHelpers;

namespace TieredKv.Storage.Tests.Table;

public sealed class BlockTests
{
    private static (Block Block, List<TestEntry> Entries) Build(int restartInterval, int count = 1000)
    {
        var entries = MakeEntries(count);
        var builder = new BlockBuilder(restartInterval);
        foreach (var e in entries) builder.Add(e.Key, e.Value);
        var bytes = builder.Finish().ToArray();
        Assert.Equal(bytes.Length, builder.CurrentSizeEstimate);
        return (new Block(bytes, bytes.Length, "test", 0), entries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void ForwardScan_ReturnsEveryEntryInOrder(int restartInterval)
    {
        var (block, entries) = Build(restartInterval);
        var it = block.NewIterator();
        int i = 0;
        for (it.SeekToFirst(); it.Valid; it.Next(), i++)
        {
            Assert.Equal(entries[i].Key, it.Key.ToArray());
            Assert.Equal(entries[i].Value, it.Value.ToArray());
        }
        Assert.Equal(entries.Count, i);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void BackwardScan_ReturnsEveryEntryInReverse(int restartInterval)
    {
        var (block, entries) = Build(restartInterval);
        var it = block.NewIterator();
        int i = entries.Count - 1;
        for (it.SeekToLast(); it.Valid; it.Prev(), i--)
        {
            Assert.Equal(entries[i].Key, it.Key.ToArray());
            Assert.Equal(entries[i].Value, it.Value.ToArray());
        }
        Assert.Equal(-1, i);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Seek_FindsEveryKeyAndTheNextKeyBetweenKeys(int restartInterval)
    {
        var (block, entries) = Build(restartInterval);
        var it = block.NewIterator();
        for (int i = 0; i < entries.Count; i++)
        {
            it.Seek(entries[i].Key);
            Assert.True(it.Valid);
            Assert.Equal(entries[i].Key, it.Key.ToArray());

            // Just after entries[i]: same user key, sequence one lower than its own.
            var k = entries[i].Key;
            var after = InternalKey.Create(InternalKey.UserKey(k), InternalKey.Sequence(k) - 1, EntryType.Value);
            it.Seek(after);
            if (i + 1 < entries.Count)
            {
                Assert.True(it.Valid);
                Assert.Equal(entries[i + 1].Key, it.Key.ToArray());
            }
            else
            {
                Assert.False(it.Valid);
            }
        }
    }

    [Fact]
    public void Seek_PastLastKey_IsInvalid_AndBeforeFirst_IsFirst()
    {
        var (block, entries) = Build(16);
        var it = block.NewIterator();
        it.Seek(InternalKey.Create("zzz"u8, 1, EntryType.Value));
        Assert.False(it.Valid);
        it.Seek(InternalKey.Create("a"u8, 1, EntryType.Value));
        Assert.Equal(entries[0].Key, it.Key.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Prev_AfterSeek_ReturnsThePreviousEntry(int restartInterval)
    {
        var (block, entries) = Build(restartInterval, 300);
        var it = block.NewIterator();
        for (int i = 0; i < entries.Count; i++)
        {
            it.Seek(entries[i].Key);
            it.Prev();
            if (i == 0)
            {
                Assert.False(it.Valid);
            }
            else
            {
                Assert.Equal(entries[i - 1].Key, it.Key.ToArray());
                it.Next();
                Assert.Equal(entries[i].Key, it.Key.ToArray());
            }
        }
    }

    [Fact]
    public void EmptyBlock_IsNeverValid()
    {
        var builder = new BlockBuilder(16);
        Assert.True(builder.IsEmpty);
        var bytes = builder.Finish().ToArray();
        var it = new Block(bytes, bytes.Length, "test", 0).NewIterator();
        it.SeekToFirst();
        Assert.False(it.Valid);
        it.SeekToLast();
        Assert.False(it.Valid);
        it.Seek(InternalKey.Create("a"u8, 1, EntryType.Value));
        Assert.False(it.Valid);
    }

    [Fact]
    public void Add_OutOfOrder_Throws()
    {
        var builder = new BlockBuilder(16);
        builder.Add(InternalKey.Create("b"u8, 1, EntryType.Value), []);
        Assert.Throws<InvalidOperationException>(() => builder.Add(InternalKey.Create("a"u8, 1, EntryType.Value), []));
    }

    [Fact]
    public void Block_WithBadRestartCount_ThrowsCorruption()
    {
        var (block, _) = Build(16, 50);
        var bytes = block.Data.AsSpan(0, block.Size).ToArray();
        bytes[^1] = 0xFF;
        Assert.Throws<CorruptionException>(() => new Block(bytes, bytes.Length, "test", 0));
    }

    [Fact]
    public void Block_WithGarbageEntries_ThrowsCorruptionOnScan_NeverOtherErrors()
    {
        var (block, _) = Build(4, 100);
        var rng = new Random(7);
        for (int round = 0; round < 300; round++)
        {
            var bytes = block.Data.AsSpan(0, block.Size).ToArray();
            int entriesEnd = block.RestartsOffset;
            for (int j = 0; j < 4; j++) bytes[rng.Next(entriesEnd)] = (byte)rng.Next(256);
            try
            {
                var it = new Block(bytes, bytes.Length, "test", 0).NewIterator();
                for (it.SeekToFirst(); it.Valid; it.Next()) { }
                for (it.SeekToLast(); it.Valid; it.Prev()) { }
                it.Seek(InternalKey.Create("key00000050"u8, 1, EntryType.Value));
            }
            catch (CorruptionException)
            {
            }
        }
    }
}
