using System.Text;
using TieredKv.Storage.Compaction;
using TieredKv.Storage.Format;

namespace TieredKv.Storage.Tests;

public sealed class DbTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string? S(byte[]? b) => b == null ? null : Encoding.UTF8.GetString(b);

    private static DbOptions SmallOptions(bool background = true, ICompactionFilter? filter = null) => new()
    {
        WriteBufferSize = 64 * 1024,
        TargetFileSize = 32 * 1024,
        MaxBytesForLevelBase = 128 * 1024,
        BlockSize = 1024,
        BackgroundWork = background,
        CompactionFilter = filter,
        WalSync = WalSyncPolicy.No,
    };

    [Fact]
    public void Get_ReturnsLatestValue_AfterOverwrite()
    {
        using var db = Db.Open(_dir.Path);
        db.Put(B("k"), B("v1"));
        db.Put(B("k"), B("v2"));
        Assert.Equal("v2", S(db.Get(B("k"))));
        Assert.Null(db.Get(B("missing")));
    }

    [Fact]
    public void Get_ReturnsACopy_ThatCallersMayChange()
    {
        using var db = Db.Open(_dir.Path);
        db.Put(B("k"), B("value"));
        db.Get(B("k"))![0] = (byte)'X';
        Assert.Equal("value", S(db.Get(B("k"))));
    }

    [Fact]
    public void Delete_HidesKey()
    {
        using var db = Db.Open(_dir.Path);
        db.Put(B("k"), B("v"));
        db.Delete(B("k"));
        Assert.Null(db.Get(B("k")));
    }

    [Fact]
    public void Write_AppliesBatchAtomically_WithLaterOperationWinning()
    {
        using var db = Db.Open(_dir.Path);
        var batch = new WriteBatch();
        batch.Put(B("a"), B("1"));
        batch.Put(B("b"), B("2"));
        batch.Delete(B("a"));
        db.Write(batch);
        Assert.Null(db.Get(B("a")));
        Assert.Equal("2", S(db.Get(B("b"))));
    }

    [Fact]
    public void Reopen_RecoversWritesFromWal()
    {
        using (var db = Db.Open(_dir.Path))
        {
            db.Put(B("a"), B("1"));
            db.Put(B("b"), B("2"));
            db.Delete(B("a"));
        }
        using (var db = Db.Open(_dir.Path))
        {
            Assert.Null(db.Get(B("a")));
            Assert.Equal("2", S(db.Get(B("b"))));
            db.Put(B("c"), B("3"));
        }
        using (var db = Db.Open(_dir.Path))
        {
            Assert.Equal("2", S(db.Get(B("b"))));
            Assert.Equal("3", S(db.Get(B("c"))));
        }
    }

    [Fact]
    public void Get_ReturnsLatestValue_AfterOverwriteAcrossFlush()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        db.Put(B("k"), B("old"));
        db.Flush();
        db.Put(B("k"), B("new"));
        Assert.Equal("new", S(db.Get(B("k"))));
        db.Flush();
        Assert.Equal("new", S(db.Get(B("k"))));
        Assert.Equal(2, db.GetStatistics().Levels[0].Files);
    }

    [Fact]
    public void Reopen_ReadsFlushedTables()
    {
        using (var db = Db.Open(_dir.Path, SmallOptions()))
        {
            for (int i = 0; i < 5000; i++) db.Put(B($"key{i:D6}"), B($"value{i}"));
            db.Flush();
        }
        using (var db = Db.Open(_dir.Path, SmallOptions()))
        {
            for (int i = 0; i < 5000; i += 7) Assert.Equal($"value{i}", S(db.Get(B($"key{i:D6}"))));
        }
    }

    [Fact]
    public void Statistics_CountWalBytes_SoTotalWriteAmplificationIncludesTheWal()
    {
        using var db = Db.Open(_dir.Path, SmallOptions(background: false));
        for (int i = 0; i < 100; i++) db.Put(B($"key{i:D6}"), new byte[100]);
        var stats = db.GetStatistics();
        // Every batch is framed into the WAL, so the WAL holds at least the user bytes.
        Assert.True(stats.WalBytesWritten >= stats.UserBytesWritten, $"WAL {stats.WalBytesWritten} < user {stats.UserBytesWritten}");
        Assert.True(stats.TotalWriteAmplification >= 1.0);
    }

    [Fact]
    public void CompactRange_DropsDeletedKeys_AndKeepsLiveOnes()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        for (int i = 0; i < 3000; i++) db.Put(B($"key{i:D6}"), new byte[100]);
        for (int i = 0; i < 3000; i += 2) db.Delete(B($"key{i:D6}"));
        db.CompactRange();
        var stats = db.GetStatistics();
        Assert.Equal(0, stats.Levels[0].Files);
        for (int i = 0; i < 3000; i++)
            Assert.Equal(i % 2 == 1, db.Get(B($"key{i:D6}")) != null);
        long entries = 0;
        using var it = db.NewIterator();
        for (it.SeekToFirst(); it.Valid; it.Next()) entries++;
        Assert.Equal(1500, entries);
    }

    [Fact]
    public void Iterator_ScansBothDirections_WithinPrefixBounds()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        foreach (var k in new[] { "a1", "b1", "b2", "b3", "c1" }) db.Put(B(k), B(k.ToUpperInvariant()));
        db.Flush();
        db.Delete(B("b2"));
        using var it = db.NewIterator(ReadOptions.ForPrefix(B("b")));
        var forward = new List<string>();
        for (it.SeekToFirst(); it.Valid; it.Next()) forward.Add(S(it.Key.ToArray())!);
        Assert.Equal(["b1", "b3"], forward);
        var backward = new List<string>();
        for (it.SeekToLast(); it.Valid; it.Prev()) backward.Add(S(it.Key.ToArray())!);
        Assert.Equal(["b3", "b1"], backward);
        it.Seek(B("b2"));
        Assert.Equal("b3", S(it.Key.ToArray()));
        Assert.Equal("B3", S(it.Value.ToArray()));
        it.SeekForPrev(B("b2"));
        Assert.Equal("b1", S(it.Key.ToArray()));
    }

    [Fact]
    public void Iterator_SwitchesDirection_Midway()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        for (int i = 0; i < 10; i++) db.Put(B($"k{i}"), B($"v{i}"));
        using var it = db.NewIterator();
        it.Seek(B("k5"));
        it.Prev();
        Assert.Equal("k4", S(it.Key.ToArray()));
        it.Next();
        Assert.Equal("k5", S(it.Key.ToArray()));
        it.Next();
        Assert.Equal("k6", S(it.Key.ToArray()));
    }

    [Fact]
    public void Snapshot_SeesStateAtItsCreation_AcrossFlushAndCompaction()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        db.Put(B("k"), B("before"));
        using var snap = db.GetSnapshot();
        db.Put(B("k"), B("after"));
        db.Delete(B("gone-later"));
        db.CompactRange();
        Assert.Equal("before", S(db.Get(B("k"), new ReadOptions { Snapshot = snap })));
        Assert.Equal("after", S(db.Get(B("k"))));
    }

    [Fact]
    public void DeleteRange_HidesKeysInRange_AndNotOthers()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        for (int i = 0; i < 100; i++) db.Put(B($"k{i:D3}"), B("v"));
        db.Flush();
        db.DeleteRange(B("k010"), B("k020"));
        db.Put(B("k015"), B("new"));
        Assert.Null(db.Get(B("k010")));
        Assert.Null(db.Get(B("k019")));
        Assert.NotNull(db.Get(B("k020")));
        Assert.Equal("new", S(db.Get(B("k015"))));
        int count = 0;
        using (var it = db.NewIterator())
            for (it.SeekToFirst(); it.Valid; it.Next()) count++;
        Assert.Equal(91, count);
    }

    [Fact]
    public void DeleteRange_DropsWholeTablesWithoutRewriting()
    {
        // No background work: a background compaction could clean the range first, by rewriting.
        using var db = Db.Open(_dir.Path, SmallOptions(background: false));
        for (int i = 0; i < 4000; i++) db.Put(B($"db1:{i:D6}"), new byte[64]);
        db.Put(B("db2:keep"), B("v"));
        db.CompactRange();
        long tablesBefore = db.GetStatistics().Levels.Sum(l => l.Files);
        db.DeleteRange(B("db1:"), B("db1;"));
        db.CompactRange();
        var stats = db.GetStatistics();
        Assert.True(stats.FilesDroppedByRangeTombstones > 0, "expected whole tables dropped");
        Assert.True(stats.Levels.Sum(l => l.Files) < tablesBefore);
        Assert.Equal(0, stats.RangeTombstones);
        Assert.Null(db.Get(B("db1:000100")));
        Assert.Equal("v", S(db.Get(B("db2:keep"))));
    }

    [Fact]
    public void DeleteRange_SurvivesReopen()
    {
        using (var db = Db.Open(_dir.Path, SmallOptions()))
        {
            for (int i = 0; i < 50; i++) db.Put(B($"k{i:D3}"), B("v"));
            db.DeleteRange(B("k000"), B("k025"));
        }
        using (var db = Db.Open(_dir.Path, SmallOptions()))
        {
            Assert.Null(db.Get(B("k001")));
            Assert.NotNull(db.Get(B("k030")));
            db.Flush();
        }
        using (var db = Db.Open(_dir.Path, SmallOptions()))
        {
            Assert.Null(db.Get(B("k001")));
            Assert.NotNull(db.Get(B("k030")));
        }
    }

    private sealed class DropPrefixFilter(string prefix) : ICompactionFilter
    {
        public CompactionDecision Filter(in CompactionFilterContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            key.StartsWith(Encoding.UTF8.GetBytes(prefix)) ? CompactionDecision.Remove : CompactionDecision.Keep;
    }

    [Fact]
    public void CompactionFilter_RemovesEntries_WithoutResurrectingOlderVersions()
    {
        using var db = Db.Open(_dir.Path, SmallOptions(filter: new DropPrefixFilter("tmp:")));
        db.Put(B("tmp:a"), B("old"));
        db.CompactRange();
        db.Put(B("tmp:a"), B("new"));
        db.Put(B("keep"), B("v"));
        db.CompactRange();
        Assert.Null(db.Get(B("tmp:a")));
        Assert.Equal("v", S(db.Get(B("keep"))));
    }

    [Fact]
    public void Writes_FromManyThreads_AreAllVisible_AndGrouped()
    {
        using var db = Db.Open(_dir.Path, SmallOptions());
        const int threads = 8, perThread = 2000;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (int i = 0; i < perThread; i++) db.Put(B($"t{t}-{i}"), B($"{i}"));
        });
        for (int t = 0; t < threads; t++)
            for (int i = 0; i < perThread; i += 97)
                Assert.Equal($"{i}", S(db.Get(B($"t{t}-{i}"))));
        var stats = db.GetStatistics();
        Assert.Equal(threads * perThread, stats.WriteBatches);
    }

    [Fact]
    public void EverySec_SyncsTheWalPeriodically_NotPerWrite()
    {
        using var db = Db.Open(_dir.Path, new DbOptions { WalSync = WalSyncPolicy.EverySec, WalSyncInterval = TimeSpan.FromMilliseconds(20) });
        for (int i = 0; i < 100; i++) db.Put(B($"k{i}"), B("v"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (db.GetStatistics().WalSyncs == 0 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        var stats = db.GetStatistics();
        Assert.InRange(stats.WalSyncs, 1, 99);
    }

    [Fact]
    public void Always_SyncsOncePerWriteGroup()
    {
        using var db = Db.Open(_dir.Path, new DbOptions { WalSync = WalSyncPolicy.Always });
        for (int i = 0; i < 20; i++) db.Put(B($"k{i}"), B("v"));
        var stats = db.GetStatistics();
        Assert.Equal(stats.WriteGroups, stats.WalSyncs);
    }

    [Fact]
    public void DeferredWrites_AreVisibleAtOnce_AndDurableAfterCommit()
    {
        using (var db = Db.Open(_dir.Path, new DbOptions { WalSync = WalSyncPolicy.Always }))
        {
            var batch = new WriteBatch();
            batch.Put(B("k"), B("v"));
            db.Write(batch, deferDurability: true);
            Assert.Equal("v", S(db.Get(B("k"))));
            long syncs = db.GetStatistics().WalSyncs;
            db.CommitDeferredWrites();
            db.CommitDeferredWrites(); // nothing left: no second fsync
            Assert.Equal(syncs + 1, db.GetStatistics().WalSyncs);
        }
        using (var db = Db.Open(_dir.Path)) Assert.Equal("v", S(db.Get(B("k"))));
    }

    [Fact]
    public void DeferredWrite_IsCommitted_ByTheNextWriteThatIsNot()
    {
        var crashing = new IO.CrashingFileSystem(int.MaxValue);
        using (var db = Db.Open(_dir.Path, new DbOptions { FileSystem = crashing }))
        {
            var deferred = new WriteBatch();
            deferred.Put(B("first"), B("1"));
            db.Write(deferred, deferDurability: true);
            db.Put(B("second"), B("2"));
        }
        using var reopened = Db.Open(_dir.Path);
        Assert.Equal("1", S(reopened.Get(B("first"))));
        Assert.Equal("2", S(reopened.Get(B("second"))));
    }

    [Fact]
    public void DeferredWrites_FromManyThreads_ReadTheirOwnWrites_AcrossMemTableSwitches()
    {
        using (var db = Db.Open(_dir.Path, SmallOptions()))
        {
            Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
            {
                for (int i = 0; i < 3000; i++)
                {
                    var batch = new WriteBatch();
                    batch.Put(B($"t{t}-{i}"), B($"v{i}"));
                    db.Write(batch, deferDurability: true);
                    Assert.Equal($"v{i}", S(db.Get(B($"t{t}-{i}"))));
                }
            });
            db.CommitDeferredWrites();
            Assert.True(db.GetStatistics().FlushCount > 0, "the test should cross memtable switches");
        }
        using var reopened = Db.Open(_dir.Path, SmallOptions());
        for (int t = 0; t < 4; t++)
            for (int i = 0; i < 3000; i += 123) Assert.Equal($"v{i}", S(reopened.Get(B($"t{t}-{i}"))));
    }

    [Fact]
    public void Open_Throws_WhenAlreadyOpenInAnotherInstance()
    {
        using var db = Db.Open(_dir.Path);
        Assert.ThrowsAny<IOException>(() => Db.Open(_dir.Path));
    }
}
