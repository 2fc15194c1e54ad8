using System.Text;
using TieredKv.Storage.Compaction;

namespace TieredKv.Storage.Tests;

/// <summary>The engine counts the time it spends in WAL fsyncs, memtable flushes and compactions (the server's latency monitor reads them).</summary>
public sealed class DbTimingStatisticsTests
{
    /// <summary>Makes each compaction take measurable time.</summary>
    private sealed class SlowFilter : ICompactionFilter
    {
        public CompactionDecision Filter(in CompactionFilterContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            Thread.Sleep(1);
            return CompactionDecision.Keep;
        }
    }

    [Fact]
    public void FlushesAndCompactions_AddTheirTime()
    {
        using var dir = new TempDirectory();
        using var db = Db.Open(dir.Path, new DbOptions
        {
            WriteBufferSize = 4 * 1024,
            L0CompactionTrigger = 1,
            CompactionFilter = new SlowFilter(),
            WalSync = WalSyncPolicy.No,
            BackgroundWork = false, // flushes and compactions run in the writer: deterministic
        });
        for (int i = 0; i < 500; i++) db.Put(Encoding.ASCII.GetBytes($"key{i:D5}"), new byte[40]);
        var stats = db.GetStatistics();
        Assert.True(stats.FlushCount > 0 && stats.FlushMicros > 0, $"flushes {stats.FlushCount} in {stats.FlushMicros} µs");
        Assert.True(stats.CompactionCount > 0, "expected compactions");
        Assert.True(stats.CompactionMicros >= stats.CompactionCount * 1000, $"compactions {stats.CompactionCount} in {stats.CompactionMicros} µs, each sleeping at least 1 ms");
    }

    [Fact]
    public void FsyncsUnderAlways_AddTheirTime()
    {
        using var dir = new TempDirectory();
        using var db = Db.Open(dir.Path, new DbOptions { WalSync = WalSyncPolicy.Always });
        for (int i = 0; i < 20; i++) db.Put(Encoding.ASCII.GetBytes($"key{i}"), new byte[10]);
        var stats = db.GetStatistics();
        Assert.True(stats.WalSyncs >= 20, $"{stats.WalSyncs} fsyncs");
        Assert.True(stats.WalSyncMicros > 0);
    }
}
