using System.Text;

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

    [Fact]
    public void Writes_SlowDownThenStop_WhenL0IsTooDeep_AndAllComplete()
    {
        using var dir = new TempDirectory();
        var options = new DbOptions
        {
            WriteBufferSize = 4 * 1024,
            L0CompactionTrigger = 1,
            L0SlowdownTrigger = 2,
            L0StopTrigger = 3,
            CompactionFilter = new SlowFilter(),
            WalSync = WalSyncPolicy.No,
        };
        using (var db = Db.Open(dir.Path, options))
        {
            for (int i = 0; i < 3000; i++) db.Put(Encoding.ASCII.GetBytes($"key{i:D5}"), new byte[40]);
            var stats = db.GetStatistics();
            Assert.True(stats.StallSlowdowns > 0, "expected slowdowns");
            Assert.True(stats.StallStops > 0, "expected stops");
            Assert.True(stats.StallMicros > 0);
        }
        using (var db = Db.Open(dir.Path, new DbOptions()))
            for (int i = 0; i < 3000; i += 101) Assert.NotNull(db.Get(Encoding.ASCII.GetBytes($"key{i:D5}")));
    }
}
