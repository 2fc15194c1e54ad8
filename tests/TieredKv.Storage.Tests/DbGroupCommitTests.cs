using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Tests.IO;
using static TieredKv.Storage.Tests.Faults.FaultTestSupport;

namespace TieredKv.Storage.Tests;

public sealed class DbGroupCommitTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ulong WriteDeferred(Db db, string key)
    {
        db.Write(Batch(key, "v"), deferDurability: true);
        return db.LastSequence;
    }

    [Fact]
    public async Task WritesArrivingDuringAnFsync_AreAppendedAtOnce_AndShareTheNextFsync()
    {
        var fs = new GatedSyncFileSystem();
        using var db = Db.Open(_dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.Always });
        fs.Close();
        var first = db.CommitDeferredWritesAsync(WriteDeferred(db, "a")).AsTask();
        Assert.True(fs.WaitForSyncAtGate(Timeout), "the first commit should reach its fsync");

        // The fsync is in flight: appends go on (this thread would hang here if they waited for it).
        var later = new[] { "b", "c", "d" }.Select(k => db.CommitDeferredWritesAsync(WriteDeferred(db, k)).AsTask()).ToArray();
        Assert.Equal("v", S(db.Get(B("d"))));
        Assert.False(first.IsCompleted);
        Assert.All(later, t => Assert.False(t.IsCompleted));

        fs.Open();
        await Task.WhenAll(later.Append(first)).WaitAsync(Timeout);
        Assert.Equal(2, fs.WalSyncs);
        var stats = db.GetStatistics();
        Assert.Equal(4, stats.WalSyncWaits);
        Assert.Equal(2, stats.WalSyncs);
    }

    [Fact]
    public async Task ACommitWhoseWritesAnEarlierFsyncCovered_ReturnsWithoutAnotherFsync()
    {
        var fs = new GatedSyncFileSystem();
        using var db = Db.Open(_dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.Always });
        ulong a = WriteDeferred(db, "a");
        ulong b = WriteDeferred(db, "b");
        await db.CommitDeferredWritesAsync(b).AsTask().WaitAsync(Timeout);
        Assert.True(db.CommitDeferredWritesAsync(a).IsCompletedSuccessfully);
        db.CommitDeferredWrites(a);
        Assert.Equal(1, fs.WalSyncs);
    }

    [Fact]
    public async Task AFailedGroupFsync_FaultsItsWaiters_AndRefusesWritesUntilResume()
    {
        var fs = new FaultInjectingFileSystem();
        using var db = Db.Open(_dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.Always, BackgroundWork = false });
        fs.Add(FaultRule.For(FaultOperation.Sync, FileNames.Kind.Wal) with { Once = true });
        var commit = db.CommitDeferredWritesAsync(WriteDeferred(db, "a")).AsTask();
        await Assert.ThrowsAsync<StorageWriteException>(() => commit.WaitAsync(Timeout));
        Assert.Throws<StorageWriteException>(() => db.Put(B("b"), B("1")));
        db.Resume();
        db.Put(B("b"), B("1"));
    }

    [Fact]
    public void UnderEverySec_TheAsyncCommitHandsTheRecordsToTheFileAndCompletesAtOnce()
    {
        using var db = Db.Open(_dir.Path, new DbOptions { WalSync = WalSyncPolicy.EverySec });
        long before = db.GetStatistics().WalBytesWritten;
        var commit = db.CommitDeferredWritesAsync(WriteDeferred(db, "a"));
        Assert.True(commit.IsCompletedSuccessfully);
        Assert.True(db.GetStatistics().WalBytesWritten > before);
    }

    [Fact]
    public async Task ACommitWaitingAtClose_IsServedBeforeTheDatabaseCloses()
    {
        Task commit;
        using (var db = Db.Open(_dir.Path, new DbOptions { WalSync = WalSyncPolicy.Always }))
            commit = db.CommitDeferredWritesAsync(WriteDeferred(db, "a")).AsTask();
        await commit.WaitAsync(Timeout);
        using var reopened = Db.Open(_dir.Path);
        Assert.Equal("v", S(reopened.Get(B("a"))));
    }
}
