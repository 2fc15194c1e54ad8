using TieredKv.Storage.Format;
using TieredKv.Storage.Table;
using static TieredKv.Storage.Tests.Table.TableTestHelpers;

namespace TieredKv.Storage.Tests.Table;

public sealed class TableRandomizedTests
{
    /// <summary>Random, sparse user keys (so the builder shortens index separators) with 1–3 versions each.</summary>
    private static List<TestEntry> RandomEntries(Random rng, int userKeys)
    {
        var set = new HashSet<string>();
        var list = new List<TestEntry>();
        while (set.Count < userKeys)
        {
            var uk = new byte[rng.Next(1, 12)];
            rng.NextBytes(uk);
            if (!set.Add(Convert.ToHexString(uk))) continue;
            int versions = rng.Next(1, 4);
            for (int v = 0; v < versions; v++)
            {
                var value = new byte[rng.Next(0, 60)];
                rng.NextBytes(value);
                var type = rng.Next(5) == 0 ? EntryType.Deletion : EntryType.Value;
                list.Add(new TestEntry(InternalKey.Create(uk, (ulong)rng.Next(1, 1_000_000), type), value));
            }
        }
        list.Sort((a, b) => InternalKey.Compare(a.Key, b.Key));
        return list.Where((e, i) => i == 0 || InternalKey.Compare(list[i - 1].Key, e.Key) != 0).ToList();
    }

    private static int LowerBound(List<TestEntry> entries, byte[] target)
    {
        int lo = 0, hi = entries.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (InternalKey.Compare(entries[mid].Key, target) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    [Theory]
    [InlineData(1, CompressionType.None)]
    [InlineData(2, CompressionType.Lz4)]
    public void SeekAndTryGet_MatchAReferenceLowerBound(int seed, CompressionType compression)
    {
        var rng = new Random(seed);
        var entries = RandomEntries(rng, 3000);
        using var reader = Open(BuildTable(entries, new TableBuilderOptions(BlockSize: 700, RestartInterval: 5, Compression: compression)));
        using var it = reader.NewIterator();
        for (int round = 0; round < 3000; round++)
        {
            byte[] target;
            if (round % 2 == 0)
            {
                var uk = new byte[rng.Next(1, 12)];
                rng.NextBytes(uk);
                target = InternalKey.ForSeek(uk, (ulong)rng.Next(1, 1_000_000));
            }
            else
            {
                var e = entries[rng.Next(entries.Count)].Key;
                target = InternalKey.ForSeek(InternalKey.UserKey(e), (ulong)rng.Next(1, 1_000_000));
            }

            int expected = LowerBound(entries, target);
            it.Seek(target);
            if (expected == entries.Count)
            {
                Assert.False(it.Valid);
            }
            else
            {
                Assert.Equal(entries[expected].Key, it.Key.ToArray());
                Assert.Equal(entries[expected].Value, it.Value.ToArray());
            }

            bool hit = expected < entries.Count && InternalKey.UserKey(entries[expected].Key).SequenceEqual(InternalKey.UserKey(target));
            Assert.Equal(hit, reader.TryGet(target, out ulong seq, out var type, out var value));
            if (hit)
            {
                Assert.Equal(InternalKey.Sequence(entries[expected].Key), seq);
                Assert.Equal(InternalKey.Type(entries[expected].Key), type);
                Assert.Equal(entries[expected].Value, value);
            }
        }
    }

    [Fact]
    public void MixedNextAndPrev_FollowTheReferenceOrder()
    {
        var rng = new Random(3);
        var entries = RandomEntries(rng, 2000);
        using var reader = Open(BuildTable(entries, new TableBuilderOptions(BlockSize: 500, RestartInterval: 3)));
        using var it = reader.NewIterator();
        int pos = rng.Next(entries.Count);
        it.Seek(entries[pos].Key);
        for (int step = 0; step < 20_000; step++)
        {
            if (rng.Next(2) == 0)
            {
                it.Next();
                pos++;
            }
            else
            {
                it.Prev();
                pos--;
            }
            if (pos < 0 || pos >= entries.Count)
            {
                Assert.False(it.Valid);
                pos = rng.Next(entries.Count);
                it.Seek(entries[pos].Key);
            }
            Assert.Equal(entries[pos].Key, it.Key.ToArray());
        }
    }
}
