using System.Text;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Tests.Faults;

/// <summary>Checks shared by the fault tests: what a reopened database holds, and that every file on disk reads clean.</summary>
internal static class FaultTestSupport
{
    public static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    public static WriteBatch Batch(string key, string value)
    {
        var batch = new WriteBatch();
        batch.Put(B(key), B(value));
        return batch;
    }

    public static string S(byte[]? b) => b == null ? "<null>" : Encoding.ASCII.GetString(b);

    /// <summary>Polls <paramref name="condition"/> for up to 10 s.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// Reopens the directory on the healthy local file system in strict recovery (every WAL record
    /// checksummed) and asserts that a full scan returns exactly <paramref name="expected"/>.
    /// </summary>
    public static void AssertReopenedHoldsExactly(string directory, IReadOnlyDictionary<string, string> expected)
    {
        using var db = Db.Open(directory, new DbOptions { WalRecovery = WalRecoveryMode.Strict });
        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var it = db.NewIterator())
            for (it.SeekToFirst(); it.Valid; it.Next()) actual[S(it.Key.ToArray())] = S(it.Value.ToArray());
        Assert.Equal(new SortedDictionary<string, string>(expected.ToDictionary(), StringComparer.Ordinal), actual);
        foreach (var (k, v) in expected) Assert.Equal(v, S(db.Get(B(k))));
        AssertEveryTableIsLiveAndReadsClean(db);
    }

    /// <summary>Every table file on disk is one the current version lists (no orphan partial outputs), and each one's blocks pass their checksums.</summary>
    public static void AssertEveryTableIsLiveAndReadsClean(Db db)
    {
        var tables = Directory.GetFiles(db.Directory, "*.sst");
        Assert.Equal(db.GetStatistics().Levels.Sum(l => l.Files), tables.Length);
        var fs = new LocalFileSystem();
        foreach (var path in tables)
        {
            FileNames.Parse(Path.GetFileName(path), out ulong number);
            using var reader = TableReader.Open(fs.OpenRandomAccess(path), number, cache: null, counters: null);
            using var it = reader.NewIterator(fillCache: false);
            for (it.SeekToFirst(); it.Valid; it.Next()) { }
        }
    }

    /// <summary>Every WAL segment on disk reads to its end with no damage at all (not even a torn tail).</summary>
    public static void AssertEveryWalSegmentReadsClean(string directory)
    {
        var fs = new LocalFileSystem();
        foreach (var path in Directory.GetFiles(directory, "*.wal"))
        {
            using var file = fs.OpenRandomAccess(path);
            var reader = new LogReader(file);
            LogReadStatus status;
            while ((status = reader.ReadNext()) == LogReadStatus.Record) { }
            Assert.True(status == LogReadStatus.EndOfFile, $"{Path.GetFileName(path)}: {status} at {reader.Damage.Offset} ({reader.Damage.Reason})");
        }
    }
}
