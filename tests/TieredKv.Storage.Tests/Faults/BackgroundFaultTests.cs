using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using static TieredKv.Storage.Tests.Faults.FaultTestSupport;

namespace TieredKv.Storage.Tests.Faults;

/// <summary>
/// Flush and compaction failures (full disk on a table, failed table fsync, failed manifest write)
/// are retried with backoff and counted; partial tables are deleted; the manifest never names a bad
/// table; once the disk heals the work completes.
/// </summary>
public sealed class BackgroundFaultTests
{
    public static TheoryData<FaultOperation, FileNames.Kind> FlushFaults => new()
    {
        { FaultOperation.Append, FileNames.Kind.Table },
        { FaultOperation.Sync, FileNames.Kind.Table },
        { FaultOperation.Create, FileNames.Kind.Table },
        { FaultOperation.Append, FileNames.Kind.Manifest },
        { FaultOperation.Sync, FileNames.Kind.Manifest },
    };

    [Theory]
    [MemberData(nameof(FlushFaults))]
    public void FailingFlush_IsRetriedAndCounted_ThenCompletesWhenDiskHeals_ReopenHasEveryWriteAndNoOrphanTable(FaultOperation operation, FileNames.Kind kind)
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.No }))
        {
            for (int i = 0; i < 500; i++) { db.Put(B($"k{i:D4}"), B($"value-{i}")); expected[$"k{i:D4}"] = $"value-{i}"; }
            fs.Add(FaultRule.For(operation, kind));

            var e = Assert.Throws<IOException>(() => db.Flush());
            Assert.Contains(FaultRule.NoSpace, e.Message);
            WaitUntil(() => db.GetStatistics().BackgroundErrors >= 3, "three failed flush attempts");
            var stats = db.GetStatistics();
            Assert.Contains(FaultRule.NoSpace, stats.LastBackgroundError);
            Assert.Equal(0, stats.FlushCount);
            // Reads are served from the frozen memtable meanwhile, and writes still go to the WAL.
            Assert.Equal("value-7", S(db.Get(B("k0007"))));
            db.Put(B("during"), B("fault"));
            expected["during"] = "fault";

            fs.Clear();
            db.Flush();
            stats = db.GetStatistics();
            Assert.Null(stats.LastBackgroundError);
            Assert.True(stats.FlushCount >= 1);
            AssertEveryTableIsLiveAndReadsClean(db);
        }
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void FailedManifestWrite_WhoseEditReachedTheFile_IsNotAppendedAfter_NewManifestStartsFromCurrentVersion()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.No, BackgroundWork = false }))
        {
            for (int i = 0; i < 100; i++) { db.Put(B($"k{i:D4}"), B($"v{i}")); expected[$"k{i:D4}"] = $"v{i}"; }
            string manifestBefore = Path.GetFileName(Directory.GetFiles(dir.Path, "MANIFEST-*").Single());
            // The edit is written whole; its fsync fails.
            fs.Add(FaultRule.For(FaultOperation.Sync, FileNames.Kind.Manifest) with { Once = true });
            Assert.Throws<IOException>(() => db.Flush());
            db.Flush(); // the retry writes a new manifest first
            string current = File.ReadAllText(dir.File(FileNames.Current)).Trim();
            Assert.NotEqual(manifestBefore, current);
            AssertEveryTableIsLiveAndReadsClean(db);
        }
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void FailingCompaction_IsRetriedWithBackoffAndCounted_DeletesPartialOutput_CompletesWhenDiskHeals()
    {
        using var dir = new TempDirectory();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, new DbOptions { WalSync = WalSyncPolicy.No, L0CompactionTrigger = 100, L0SlowdownTrigger = 200, L0StopTrigger = 300 }))
        {
            for (int t = 0; t < 3; t++)
            {
                for (int i = 0; i < 300; i++) { db.Put(B($"k{i:D4}"), B($"v{t}-{i}")); expected[$"k{i:D4}"] = $"v{t}-{i}"; }
                db.Flush();
            }
        }

        var fs = new FaultInjectingFileSystem();
        // Let the first KiB of an output through before the disk fills: a partial table is left to clean up.
        fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Table) with { AfterBytes = 1 << 10 });
        using (var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.No, L0CompactionTrigger = 2 }))
        {
            WaitUntil(() => db.GetStatistics().BackgroundErrors >= 3, "three failed compactions");
            var stats = db.GetStatistics();
            Assert.Equal(0, stats.CompactionCount);
            Assert.Contains(FaultRule.NoSpace, stats.LastBackgroundError);
            Assert.Equal(3, stats.Levels[0].Files);
            foreach (var (k, v) in expected) Assert.Equal(v, S(db.Get(B(k))));

            fs.Clear();
            WaitUntil(() => db.GetStatistics().CompactionCount >= 1, "the compaction to succeed");
            WaitUntil(() => db.GetStatistics().LastBackgroundError == null, "the background error to clear");
            AssertEveryTableIsLiveAndReadsClean(db);
        }
        AssertReopenedHoldsExactly(dir.Path, expected);
    }

    [Fact]
    public void WritesStalledBehindFailingFlush_AreRefusedNotApplied_AndAcceptedOnceFlushRecovers()
    {
        using var dir = new TempDirectory();
        var fs = new FaultInjectingFileSystem();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs, WalSync = WalSyncPolicy.No, WriteBufferSize = 16 << 10, MaxImmutableMemTables = 1 }))
        {
            fs.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Table));
            StorageWriteException? refused = null;
            string value = new('v', 100);
            for (int i = 0; i < 10_000 && refused == null; i++)
            {
                try
                {
                    db.Put(B($"k{i:D5}"), B(value));
                    expected[$"k{i:D5}"] = value;
                }
                catch (StorageWriteException e)
                {
                    refused = e;
                    Assert.Null(db.Get(B($"k{i:D5}")));
                }
            }
            Assert.NotNull(refused);
            Assert.Contains(FaultRule.NoSpace, refused!.Message);

            fs.Clear();
            db.Flush();
            db.Put(B("after"), B("1"));
            expected["after"] = "1";
        }
        AssertReopenedHoldsExactly(dir.Path, expected);
    }
}
