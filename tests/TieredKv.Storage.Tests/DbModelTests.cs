using System.Text;
using TieredKv.Storage.Format;

namespace TieredKv.Storage.Tests;

/// <summary>
/// Random puts, deletes, range deletes and batches checked against a sorted dictionary, across
/// flushes, compactions, snapshots and reopens.
/// </summary>
public sealed class DbModelTests
{
    private sealed class ByteArrayComparer : IComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    private static DbOptions Options(bool background) => new()
    {
        WriteBufferSize = 32 * 1024,
        TargetFileSize = 16 * 1024,
        MaxBytesForLevelBase = 64 * 1024,
        L0CompactionTrigger = 2,
        BlockSize = 512,
        BlockCacheBytes = 64 * 1024,
        BackgroundWork = background,
        WalSync = WalSyncPolicy.No,
    };

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void RandomOperations_MatchSortedDictionaryModel(int seed, bool background)
    {
        using var dir = new TempDirectory();
        var rng = new Random(seed);
        var model = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        var snapshots = new List<(Snapshot Snap, SortedDictionary<byte[], byte[]> Model)>();
        var db = Db.Open(dir.Path, Options(background));
        try
        {
            for (int op = 0; op < 6000; op++)
            {
                int dice = rng.Next(1000);
                if (dice < 550)
                {
                    var (k, v) = (Key(rng), Value(rng));
                    db.Put(k, v);
                    model[k] = v;
                }
                else if (dice < 700)
                {
                    var k = Key(rng);
                    db.Delete(k);
                    model.Remove(k);
                }
                else if (dice < 780)
                {
                    var batch = new WriteBatch();
                    var staged = new List<(byte[] Key, byte[]? Value)>();
                    for (int i = rng.Next(1, 8); i > 0; i--)
                    {
                        var k = Key(rng);
                        if (rng.Next(3) == 0) { batch.Delete(k); staged.Add((k, null)); }
                        else { var v = Value(rng); batch.Put(k, v); staged.Add((k, v)); }
                    }
                    db.Write(batch);
                    foreach (var (k, v) in staged)
                        if (v == null) model.Remove(k); else model[k] = v;
                }
                else if (dice < 790)
                {
                    var a = Key(rng);
                    var b = Key(rng);
                    int c = a.AsSpan().SequenceCompareTo(b);
                    if (c == 0) continue;
                    if (c > 0) (a, b) = (b, a);
                    db.DeleteRange(a, b);
                    foreach (var k in model.Keys.Where(k => k.AsSpan().SequenceCompareTo(a) >= 0 && k.AsSpan().SequenceCompareTo(b) < 0).ToList())
                        model.Remove(k);
                }
                else if (dice < 900)
                {
                    var k = Key(rng);
                    Assert.Equal(model.GetValueOrDefault(k), db.Get(k));
                }
                else if (dice < 910)
                {
                    if (snapshots.Count < 4) snapshots.Add((db.GetSnapshot(), new SortedDictionary<byte[], byte[]>(model, ByteArrayComparer.Instance)));
                    else
                    {
                        int i = rng.Next(snapshots.Count);
                        CheckScan(db, snapshots[i].Model, snapshots[i].Snap, rng);
                        snapshots[i].Snap.Dispose();
                        snapshots.RemoveAt(i);
                    }
                }
                else if (dice < 930)
                {
                    CheckScan(db, model, null, rng);
                }
                else if (dice < 940)
                {
                    db.Flush();
                }
                else if (dice < 945)
                {
                    db.CompactRange();
                }
                else if (dice < 950)
                {
                    foreach (var (snap, _) in snapshots) snap.Dispose();
                    snapshots.Clear();
                    db.Dispose();
                    db = Db.Open(dir.Path, Options(background));
                }
            }
            CheckScan(db, model, null, rng);
            foreach (var (snap, m) in snapshots) CheckScan(db, m, snap, rng);
            db.CompactRange();
            CheckScan(db, model, null, rng);
        }
        finally
        {
            foreach (var (snap, _) in snapshots) snap.Dispose();
            db.Dispose();
        }
        using var reopened = Db.Open(dir.Path, Options(background));
        CheckScan(reopened, model, null, rng);
    }

    private static byte[] Key(Random rng) => Encoding.ASCII.GetBytes($"key{rng.Next(400):D4}{(rng.Next(4) == 0 ? "x" : "")}");

    private static byte[] Value(Random rng)
    {
        var v = new byte[rng.Next(0, 300)];
        rng.NextBytes(v);
        return v;
    }

    /// <summary>Compares a forward scan, a backward scan and a few bounded scans with the model.</summary>
    private static void CheckScan(Db db, SortedDictionary<byte[], byte[]> model, Snapshot? snap, Random rng)
    {
        var expected = model.ToList();
        using (var it = db.NewIterator(new ReadOptions { Snapshot = snap }))
        {
            var forward = new List<KeyValuePair<byte[], byte[]>>();
            for (it.SeekToFirst(); it.Valid; it.Next()) forward.Add(new(it.Key.ToArray(), it.Value.ToArray()));
            AssertSame(expected, forward);

            var backward = new List<KeyValuePair<byte[], byte[]>>();
            for (it.SeekToLast(); it.Valid; it.Prev()) backward.Add(new(it.Key.ToArray(), it.Value.ToArray()));
            backward.Reverse();
            AssertSame(expected, backward);

            // Seek then zig-zag.
            var target = Key(rng);
            it.Seek(target);
            int index = expected.FindIndex(kv => kv.Key.AsSpan().SequenceCompareTo(target) >= 0);
            if (index < 0) Assert.False(it.Valid);
            else
            {
                Assert.Equal(expected[index].Key, it.Key.ToArray());
                it.Prev();
                if (index == 0) Assert.False(it.Valid);
                else
                {
                    Assert.Equal(expected[index - 1].Key, it.Key.ToArray());
                    it.Next();
                    Assert.Equal(expected[index].Key, it.Key.ToArray());
                }
            }
        }

        var lower = Key(rng);
        var upper = Key(rng);
        if (lower.AsSpan().SequenceCompareTo(upper) > 0) (lower, upper) = (upper, lower);
        using (var it = db.NewIterator(new ReadOptions { Snapshot = snap, LowerBound = lower, UpperBound = upper }))
        {
            var inRange = expected.Where(kv => kv.Key.AsSpan().SequenceCompareTo(lower) >= 0 && kv.Key.AsSpan().SequenceCompareTo(upper) < 0).ToList();
            var got = new List<KeyValuePair<byte[], byte[]>>();
            for (it.SeekToFirst(); it.Valid; it.Next()) got.Add(new(it.Key.ToArray(), it.Value.ToArray()));
            AssertSame(inRange, got);
            var back = new List<KeyValuePair<byte[], byte[]>>();
            for (it.SeekToLast(); it.Valid; it.Prev()) back.Add(new(it.Key.ToArray(), it.Value.ToArray()));
            back.Reverse();
            AssertSame(inRange, back);
        }
        foreach (var kv in expected.Take(20))
            Assert.Equal(kv.Value, db.Get(kv.Key, new ReadOptions { Snapshot = snap }));
    }

    private static void AssertSame(List<KeyValuePair<byte[], byte[]>> expected, List<KeyValuePair<byte[], byte[]>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.Equal(expected[i].Value, actual[i].Value);
        }
    }
}
