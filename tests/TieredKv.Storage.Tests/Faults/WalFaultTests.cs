using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using static TieredKv.Storage.Tests.Faults.FaultTestSupport;

namespace TieredKv.Storage.Tests.Faults;

/// <summary>A failing WAL append or fsync: the write is refused and not applied, later writes wait for Resume, reads go on, and nothing torn stays behind.</summary>
public sealed class WalFaultTests
{
    private static DbOptions Options(FaultInjectingFileSystem fs, WalSyncPolicy sync = WalSyncPolicy.Always) =>
        new() { FileSystem = fs, WalSync = sync, BackgroundWork = false };

    [Fact]
    public void WalAppendFails_WriteThrowsStorageWriteException_AndIsNotVisible()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        using var db = Db.Open(dir.Path, Options(fs));
        db.Put(B("before"), B("1"));
        fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal));

        var e = Assert.Throws<StorageWriteException>(() => db.Put(B("failed"), B("2")));
        Assert.Equal(FaultRule.NoSpace, e.Reason.Split(" (")[0]);
        Assert.Null(db.Get(B("failed")));
        Assert.Equal("1", S(db.Get(B("before"))));
    }

    [Fact]
    public void AfterWalFailure_WritesStayRefusedEvenWhenDiskHeals_UntilResume()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        using var db = Db.Open(dir.Path, Options(fs));
        fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal) with { Once = true });
        Assert.Throws<StorageWriteException>(() => db.Put(B("a"), B("1")));
        Assert.NotNull(db.WriteError);
        Assert.NotNull(db.GetStatistics().WriteError);

        // The rule fired once and is gone: the disk is healthy, but the segment may end torn.
        Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("2")));
        Assert.Throws<StorageWriteException>(() => db.Write(Batch("c", "3"), deferDurability: true));

        db.Resume();
        Assert.Null(db.WriteError);
        Assert.Null(db.GetStatistics().WriteError);
        db.Put(B("b"), B("2"));
        Assert.Equal("2", S(db.Get(B("b"))));
    }

    [Fact]
    public async Task Resume_WithBackgroundFlushes_FlushesTheFrozenMemTableAndReturns()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        using var db = Db.Open(dir.Path, Options(fs) with { BackgroundWork = true });
        db.Put(B("a"), B("1"));
        fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal) with { Once = true });
        Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("2")));

        // Resume waits for the background flush of the memtable it froze: that thread must be woken.
        await Task.Run(db.Resume).WaitAsync(TimeSpan.FromSeconds(20));
        db.Put(B("c"), B("3"));
        Assert.Equal("1", S(db.Get(B("a"))));
        Assert.Equal("3", S(db.Get(B("c"))));
    }

    [Fact]
    public void ResumeWhileDiskStillFails_Throws_AndWritesStayRefused()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        using var db = Db.Open(dir.Path, Options(fs));
        fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal));
        Assert.Throws<StorageWriteException>(() => db.Put(B("a"), B("1")));
        fs.Add(FaultRule.For(FaultOperation.Create, FileNames.Kind.Wal));

        Assert.Throws<StorageWriteException>(() => db.Resume());
        Assert.NotNull(db.WriteError);
        Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("2")));

        fs.Clear();
        db.Resume();
        db.Put(B("b"), B("2"));
        Assert.Equal("2", S(db.Get(B("b"))));
    }

    [Fact]
    public void ShortWalWrite_ThenResume_ReopenHasEveryAcknowledgedWrite_NotTheFailedOne_AndNoTornRecord()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, Options(fs)))
        {
            for (int i = 0; i < 20; i++) { db.Put(B($"k{i:D2}"), B($"v{i}")); expected[$"k{i:D2}"] = $"v{i}"; }
            // 30 bytes of the next record reach the file, then the disk is full.
            fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal) with { AfterBytes = 30, Once = true });
            Assert.Throws<StorageWriteException>(() => db.Put(B("failed"), B(new string('x', 200))));
            db.Resume();
            for (int i = 20; i < 30; i++) { db.Put(B($"k{i:D2}"), B($"v{i}")); expected[$"k{i:D2}"] = $"v{i}"; }
        }
        AssertEveryWalSegmentReadsClean(dir.Path);
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void ShortWalWrite_ReopenWithoutResume_HasEveryAcknowledgedWrite_NotTheFailedOne()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, Options(fs)))
        {
            for (int i = 0; i < 20; i++) { db.Put(B($"k{i:D2}"), B($"v{i}")); expected[$"k{i:D2}"] = $"v{i}"; }
            fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal) with { AfterBytes = 30 });
            Assert.Throws<StorageWriteException>(() => db.Put(B("failed"), B(new string('x', 200))));
        }
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void FailedWalFsync_UnderAlways_WriteNotApplied_ResumeCutsItsRecord_ReopenLacksIt()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, Options(fs)))
        {
            db.Put(B("a"), B("1"));
            expected["a"] = "1";
            // The record is written whole; only its fsync fails, so it was never acknowledged.
            fs.Add(FaultRule.For(FaultOperation.Sync, FileNames.Kind.Wal) with { Once = true });
            Assert.Throws<StorageWriteException>(() => db.Put(B("failed"), B("2")));
            Assert.Null(db.Get(B("failed")));
            db.Resume();
            db.Put(B("c"), B("3"));
            expected["c"] = "3";
        }
        AssertEveryWalSegmentReadsClean(dir.Path);
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void FailedDeferredCommit_WritesRefusedUntilResume_AcknowledgedOnesSurviveReopen()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, Options(fs, WalSyncPolicy.No)))
        {
            db.Write(Batch("a", "1"), deferDurability: true);
            db.CommitDeferredWrites();
            expected["a"] = "1";
            fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal) with { Once = true });
            db.Write(Batch("deferred", "2"), deferDurability: true);
            Assert.Throws<StorageWriteException>(() => db.CommitDeferredWrites());
            Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("3")));
            db.Resume();
            // The deferred write's commit failed, so the caller never acknowledged it; Resume keeps
            // it (it was visible, as Redis keeps a command whose AOF write failed) and flushes it.
            expected["deferred"] = "2";
            db.Put(B("b"), B("3"));
            expected["b"] = "3";
        }
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void FailedOnceASecondFsync_RefusesWrites_AcknowledgedWritesSurviveResumeAndReopen()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.EverySec, WalSyncInterval = TimeSpan.FromMilliseconds(20), BackgroundWork = false }))
        {
            db.Put(B("a"), B("1"));
            expected["a"] = "1";
            fs.Add(FaultRule.For(FaultOperation.Sync, FileNames.Kind.Wal) with { Once = true });
            WaitUntil(() => db.WriteError != null, "the timer's fsync to fail");
            Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("2")));
            Assert.Equal("1", S(db.Get(B("a"))));
            db.Resume();
            db.Put(B("b"), B("2"));
            expected["b"] = "2";
        }
        AssertEveryWalSegmentReadsClean(dir.Path);
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Theory]
    [InlineData(FaultOperation.Append)]
    [InlineData(FaultOperation.Sync)]
    public void ResumeWhoseFlushFails_StillRefusesWrites_ReopenRecoversStrictly_WithoutTheFailedWrite(FaultOperation walFault)
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, Options(fs)))
        {
            for (int i = 0; i < 20; i++) { db.Put(B($"k{i:D2}"), B($"v{i}")); expected[$"k{i:D2}"] = $"v{i}"; }
            fs.Add(FaultRule.For(walFault, FileNames.Kind.Wal) with { AfterBytes = walFault == FaultOperation.Append ? 30 : 0, Once = true });
            Assert.Throws<StorageWriteException>(() => db.Put(B("failed"), B(new string('x', 200))));
            // The failed segment is cut back and replaced, but its memtable cannot reach a table.
            fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Table));
            Assert.Throws<StorageWriteException>(() => db.Resume());
            Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("2")));
        }
        // The cut segment is no longer the last one: recovery must find it whole, without the failed record.
        AssertEveryWalSegmentReadsClean(dir.Path);
        AssertReopenedHoldsExactly(dir.Path, expected);
    }
}
