using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Wal;

namespace TieredKv.Storage.Tests.Wal;

public sealed class WalWriterTests
{
    private readonly LocalFileSystem _fs = new();

    [Fact]
    public void ManyBatchesAcrossSeveralCommits_RoundTrip()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        var (written, _) = WalTestData.WriteSegment(_fs, path, count: 300, perCommit: 7);

        var (result, applied) = WalTestData.Replay(_fs, path);
        WalTestData.AssertSame(written, applied);
        Assert.Equal(300, result.BatchesApplied);
        Assert.Equal(written.Sum(b => (long)b.Count), result.RecordsApplied);
        Assert.Equal(written[^1].LastSequence, result.LastSequence);
        Assert.Equal(new FileInfo(path).Length, result.ValidLength);
        Assert.Null(result.TornTailOffset);
        Assert.Empty(result.SkippedRanges);
    }

    [Fact]
    public void Commit_WritesAGroupOfBatchesWithOneAppendAndOneSync()
    {
        using var dir = new TempDirectory();
        var file = new CountingWritableFile(_fs.CreateWritable(dir.File("000002.wal")));
        using var writer = new WalWriter(file, 2);
        writer.AddBatch(1, WalTestData.MakeBatch(1));
        writer.AddBatch(2, WalTestData.MakeBatch(2));
        writer.AddBatch(3, WalTestData.MakeBatch(3));
        writer.Commit(sync: true);

        Assert.Equal(2UL, writer.SegmentNumber);
        Assert.Equal(1, file.Appends);
        Assert.Equal(1, file.Syncs);
        Assert.Equal(file.Length, writer.Length);
        Assert.Equal(3UL + (ulong)WalTestData.MakeBatch(3).Count - 1, writer.LastSequence);
    }

    [Fact]
    public void SyncFromOtherThreads_ConcurrentWithCommits_DoesNotCorrupt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000003.wal");
        var written = new List<WrittenBatch>();
        using (var writer = new WalWriter(_fs.CreateWritable(path), 3))
        {
            using var stop = new CancellationTokenSource();
            var syncers = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
            {
                while (!stop.IsCancellationRequested) writer.Sync();
            })).ToArray();
            foreach (var thread in syncers) thread.Start();

            ulong sequence = 1;
            for (int i = 0; i < 400; i++)
            {
                var batch = WalTestData.MakeBatch(i);
                writer.AddBatch(sequence, batch);
                written.Add(new WrittenBatch(sequence, batch.Representation.ToArray(), batch.Count));
                sequence += (ulong)batch.Count;
                if (i % 4 == 3) writer.Commit(sync: i % 40 == 3);
            }
            writer.Commit(sync: false);
            stop.Cancel();
            foreach (var thread in syncers) thread.Join();
            writer.Close(sync: true);
        }

        var (_, applied) = WalTestData.Replay(_fs, path);
        WalTestData.AssertSame(written, applied);
    }

    [Fact]
    public void Dispose_WritesPendingBatches()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000004.wal");
        using (var writer = new WalWriter(_fs.CreateWritable(path), 4))
            writer.AddBatch(10, WalTestData.MakeBatch(0));

        var (result, _) = WalTestData.Replay(_fs, path);
        Assert.Equal(1, result.BatchesApplied);
        Assert.Equal(10UL + (ulong)WalTestData.MakeBatch(0).Count - 1, result.LastSequence);
    }

    [Fact]
    public void AddBatch_RejectsEmptyBatchesAndSequencesThatDoNotAdvance()
    {
        using var dir = new TempDirectory();
        using var writer = new WalWriter(_fs.CreateWritable(dir.File("000005.wal")), 5);
        Assert.Throws<ArgumentException>(() => writer.AddBatch(1, new WriteBatch()));
        writer.AddBatch(5, WalTestData.MakeBatch(1));
        Assert.Throws<ArgumentException>(() => writer.AddBatch(5, WalTestData.MakeBatch(2)));
        Assert.Throws<ArgumentException>(() => writer.AddBatch(0, WalTestData.MakeBatch(2)));
    }

    [Fact]
    public void AddBatch_MatchesTheSpecExample()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000006.wal");
        var batch = new WriteBatch();
        batch.Put("k"u8, "v"u8);
        batch.Delete("gk"u8);
        using (var writer = new WalWriter(_fs.CreateWritable(path), 6))
            writer.AddBatch(7, batch);

        // format-spec/wal.md, section 3, "Example".
        Assert.Equal(Convert.FromHexString("150000006d647ed707000000000000000200000001016b01760002676b"), File.ReadAllBytes(path));
    }
}
