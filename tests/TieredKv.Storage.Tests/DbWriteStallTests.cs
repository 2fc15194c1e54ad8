using System.Text;
using TieredKv.Storage.Compaction;

namespace TieredKv.Storage.Tests;

/// <summary>When L0 outgrows compaction, writes slow down, then stop until it catches up — counted, never deadlocked.</summary>
public sealed class DbWriteStallTests
{
    /// <summary>Makes compaction slow so that L0 fills up faster than it drains.</summary>
    private sealed class SlowFilter : ICompactionFilter
    {
        public CompactionDecision Filter(in CompactionFilterContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            Thread.Sleep(1);
            return CompactionDecision.Keep;
        }
    }

    private static DbOptions StallingOptions(bool background) => new()
    {
        WriteBufferSize = 4 * 1024,
        L0CompactionTrigger = 1,
        L0SlowdownTrigger = 2,
        L0StopTrigger = 3,
        CompactionFilter = new SlowFilter(),
        WalSync = WalSyncPolicy.No,
        BackgroundWork = background,
    };

    [Fact]
    public void Writes_SlowDownThenStop_WhenL0IsTooDeep()
    {
        // Without background threads the stalls are deterministic: flushes and compactions run in the writer.
        using var dir = new TempDirectory();
        using var db = Db.Open(dir.Path, StallingOptions(background: false));
        for (int i = 0; i < 1000; i++) db.Put(Encoding.ASCII.GetBytes($"key{i:D5}"), new byte[40]);
        var stats = db.GetStatistics();
        Assert.True(stats.StallSlowdowns > 0, "expected slowdowns");
        Assert.True(stats.StallStops > 0, "expected stops");
        Assert.True(stats.StallMicros > 0);
    }

    [Fact]
    public void Writes_AllComplete_WhileBackgroundCompactionLagsBehind()
    {
        using var dir = new TempDirectory();
        using (var db = Db.Open(dir.Path, StallingOptions(background: true)))
        {
            for (int i = 0; i < 3000; i++) db.Put(Encoding.ASCII.GetBytes($"key{i:D5}"), new byte[40]);
            var stats = db.GetStatistics();
            Assert.True(stats.StallSlowdowns + stats.StallStops > 0, "writes should have been held back");
        }
        using (var db = Db.Open(dir.Path))
            for (int i = 0; i < 3000; i += 101) Assert.NotNull(db.Get(Encoding.ASCII.GetBytes($"key{i:D5}")));
    }
}
