using TieredKv.Server.Monitoring;

namespace TieredKv.Server.Tests.Monitoring;

/// <summary>LATENCY GRAPH and LATENCY DOCTOR texts, checked against what redis-server 7.0.15 printed for the same samples.</summary>
public sealed class LatencyReportTests
{
    [Fact]
    public void Graph_OfTwoSamples_IsRedisSparkline()
    {
        // Redis, after DEBUG SLEEP 0.2 and 0.3 with latency-monitor-threshold 100, one second apart.
        string graph = LatencyGraph.Render("command", 300, [(1000, 200), (1001, 300)], nowUnixSeconds: 1002);
        Assert.Equal(
            "command - high 300 ms, low 200 ms (all time high 300 ms)\n" + new string('-', 80) + "\n #\n |\n |\n_|\n  \n21\nss\n",
            graph);
    }

    [Fact]
    public void Doctor_ForCommandSpikes_IsRedisReport()
    {
        var monitor = new LatencyMonitor();
        monitor.Add("command", 200);
        string report = LatencyDoctor.Report(monitor, thresholdMs: 100, slowlogSlowerThanMicros: 10000, fsyncAlways: false,
            nowUnixSeconds: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.StartsWith("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n" +
            "1. command: 1 latency spikes (average 200ms, mean deviation 0ms, period 1.00 sec). Worst all time event 200ms.\n\n" +
            "I have a few advices for you:\n\n" +
            "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n" +
            "- Deleting, expiring or evicting", report);
    }

    [Fact]
    public void Doctor_ForEngineEvents_GivesOurAdvice()
    {
        var monitor = new LatencyMonitor();
        monitor.Add(EngineLatencyEvents.WriteStall, 150);
        string report = LatencyDoctor.Report(monitor, 100, 10000, false, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Contains("1. write-stall: 1 latency spikes", report, StringComparison.Ordinal);
        Assert.Contains("Writes were stalled", report, StringComparison.Ordinal);
    }
}
