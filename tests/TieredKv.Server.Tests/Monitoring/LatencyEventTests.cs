using System.Text;
using TieredKv.Server.Monitoring;
using TieredKv.Server.Tests.Harness;
using TieredKv.Storage;

namespace TieredKv.Server.Tests.Monitoring;

/// <summary>The latency monitor's events: a slow command on a running server, and the engine's own events from its counters.</summary>
public sealed class LatencyEventTests
{
    [Fact]
    public void SlowCommand_IsSampled_AsTheCommandEvent()
    {
        using var server = new TieredKvServer(o => o.LatencyMonitorThreshold = 1);
        using var client = new RawClient(server.Port);
        // Far over a millisecond: a hundred thousand keys in one MSET (not a fast command, unlike RPUSH).
        client.Call(["MSET", .. Enumerable.Range(0, 100_000).SelectMany(i => new[] { $"key{i}", "value" })]);
        string latest = Encoding.UTF8.GetString(client.Call("LATENCY", "LATEST"));
        Assert.StartsWith("*1\r\n*4\r\n$7\r\ncommand\r\n", latest, StringComparison.Ordinal);
        // The LATENCY calls themselves may add samples of their own (a first call is compiled): one or more.
        Assert.Matches(@"^\*\d+\r\n\*2\r\n:\d+\r\n:\d+\r\n", Encoding.UTF8.GetString(client.Call("LATENCY", "HISTORY", "command")));
        Assert.Contains("command - high ", Encoding.UTF8.GetString(client.Call("LATENCY", "GRAPH", "command")), StringComparison.Ordinal);
        Assert.Equal(":1\r\n", Encoding.UTF8.GetString(client.Call("LATENCY", "RESET", "command")));
    }

    [Fact]
    public void SlowFastCommand_IsSampled_AsTheFastCommandEvent()
    {
        using var server = new TieredKvServer(o => o.LatencyMonitorThreshold = 1);
        using var client = new RawClient(server.Port);
        client.Call(["RPUSH", "big", .. Enumerable.Range(0, 200_000).Select(i => "element")]);
        Assert.StartsWith("*1\r\n*4\r\n$12\r\nfast-command\r\n", Encoding.UTF8.GetString(client.Call("LATENCY", "LATEST")), StringComparison.Ordinal);
    }

    [Fact]
    public void EngineEvents_AreSampled_AsTheMeanDurationOfAnInterval()
    {
        var monitor = new LatencyMonitor();
        var events = new EngineLatencyEvents();
        var before = Statistics();
        events.Sample(before, monitor, thresholdMs: 5);
        events.Sample(before with
        {
            WalSyncs = 4, WalSyncMicros = 4 * 2_000, // 2 ms each: under the threshold
            FlushCount = 1, FlushMicros = 30_000,
            CompactionCount = 2, CompactionMicros = 2 * 80_000,
            StallStops = 1, StallMicros = 12_000,
        }, monitor, thresholdMs: 5);
        var latest = monitor.Latest().ToDictionary(e => e.Name, e => e.LatencyMs);
        Assert.Equal(new Dictionary<string, long>
        {
            [EngineLatencyEvents.MemtableFlush] = 30,
            [EngineLatencyEvents.Compaction] = 80,
            [EngineLatencyEvents.WriteStall] = 12,
        }, latest);
    }

    [Fact]
    public void EngineEvents_AreNotSampled_WithMonitoringOff()
    {
        var monitor = new LatencyMonitor();
        var events = new EngineLatencyEvents();
        var before = Statistics();
        events.Sample(before, monitor, thresholdMs: 0);
        events.Sample(before with { FlushCount = 1, FlushMicros = 900_000 }, monitor, thresholdMs: 0);
        Assert.False(monitor.HasEvents);
    }

    private static DbStatistics Statistics() => new()
    {
        Levels = [], LastSequence = 0, MemTableBytes = 0, ImmutableMemTables = 0, Snapshots = 0, RangeTombstones = 0,
        UserBytesWritten = 0, WalBytesWritten = 0, WalSyncs = 0, WalSyncWaits = 0, WriteGroups = 0, WriteBatches = 0,
        FlushCount = 0, FlushBytesWritten = 0, CompactionCount = 0, TrivialMoves = 0, FilesDroppedByRangeTombstones = 0,
        CompactionEntriesDropped = 0, StallSlowdowns = 0, StallStops = 0, StallMicros = 0, BackgroundErrors = 0,
        BlockCacheHits = 0, BlockCacheMisses = 0, BlockCacheUsage = 0, BlockCacheCapacity = 0, BloomChecks = 0, BloomUseful = 0, TableBlockReads = 0,
    };
}
