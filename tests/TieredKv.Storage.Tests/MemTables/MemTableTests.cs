using System.Text;
using TieredKv.Storage.Format;
using TieredKv.Storage.MemTables;

namespace TieredKv.Storage.Tests.MemTables;

public sealed class MemTableTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Iterator_ReturnsEntriesInInternalKeyOrder_BothWays()
    {
        var mem = new MemTable(1);
        var rng = new Random(5);
        var keys = Enumerable.Range(0, 5000).Select(i => $"key{i:D5}").OrderBy(_ => rng.Next()).ToList();
        ulong seq = 1;
        foreach (var k in keys) mem.Add(seq++, EntryType.Value, B(k), B("v" + k));
        mem.Add(seq++, EntryType.Deletion, B("key00010"), default);

        var forward = new List<byte[]>();
        using var it = mem.NewIterator();
        for (it.SeekToFirst(); it.Valid; it.Next()) forward.Add(it.Key.ToArray());
        Assert.Equal(5001, forward.Count);
        for (int i = 1; i < forward.Count; i++) Assert.True(InternalKey.Compare(forward[i - 1], forward[i]) < 0);

        var backward = new List<byte[]>();
        for (it.SeekToLast(); it.Valid; it.Prev()) backward.Add(it.Key.ToArray());
        backward.Reverse();
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void TryGet_ReturnsNewestVersionAtOrBelowLookupSequence()
    {
        var mem = new MemTable(1);
        mem.Add(5, EntryType.Value, B("k"), B("five"));
        mem.Add(9, EntryType.Value, B("k"), B("nine"));
        mem.Add(12, EntryType.Deletion, B("k"), default);

        Assert.True(mem.TryGet(InternalKey.ForSeek(B("k"), 10), out ulong seq, out var type, out var value));
        Assert.Equal((9UL, EntryType.Value, "nine"), (seq, type, Encoding.ASCII.GetString(value)));
        Assert.True(mem.TryGet(InternalKey.ForSeek(B("k"), 12), out _, out type, out _));
        Assert.Equal(EntryType.Deletion, type);
        Assert.False(mem.TryGet(InternalKey.ForSeek(B("k"), 4), out _, out _, out _));
        Assert.False(mem.TryGet(InternalKey.ForSeek(B("j"), 100), out _, out _, out _));
    }

    [Fact]
    public void Add_HoldsEntriesLargerThanAnArenaChunk()
    {
        var mem = new MemTable(1);
        var big = new byte[3 << 20];
        new Random(1).NextBytes(big);
        mem.Add(1, EntryType.Value, B("small"), B("s"));
        mem.Add(2, EntryType.Value, B("big"), big);
        Assert.True(mem.TryGet(InternalKey.ForSeek(B("big"), 2), out _, out _, out var value));
        Assert.Equal(big, value);
        Assert.True(mem.ApproximateMemoryUsage >= big.Length);
    }

    [Fact]
    public async Task ConcurrentReaders_SeeSortedPrefixes_WhileOneWriterInserts()
    {
        var mem = new MemTable(1);
        const int count = 20000;
        using var done = new CancellationTokenSource();
        var failures = new List<string>();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                using var it = mem.NewIterator();
                byte[]? previous = null;
                for (it.SeekToFirst(); it.Valid; it.Next())
                {
                    var key = it.Key.ToArray();
                    if (previous != null && InternalKey.Compare(previous, key) >= 0)
                        lock (failures) failures.Add("out of order");
                    if (!it.Value.SequenceEqual(key.AsSpan(0, key.Length - 8)))
                        lock (failures) failures.Add("value does not match its key");
                    previous = key;
                }
            }
        })).ToArray();

        var rng = new Random(3);
        for (int i = 0; i < count; i++)
        {
            var k = B($"k{rng.Next():D10}-{i}");
            mem.Add((ulong)i + 1, EntryType.Value, k, k);
        }
        done.Cancel();
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        Assert.Equal(count, mem.EntryCount);
    }
}
