using TieredKv.Server.Monitoring;

namespace TieredKv.Server.Tests.Monitoring;

/// <summary>Latency events keep samples as Redis does: above the threshold only, one per second, at most 160, and the all-time high.</summary>
public sealed class LatencyMonitorTests
{
    [Fact]
    public void SamplesBelowTheThreshold_OrWithMonitoringOff_AreNotKept()
    {
        var monitor = new LatencyMonitor();
        monitor.AddIfNeeded("command", 99, thresholdMs: 100);
        monitor.AddIfNeeded("command", 500, thresholdMs: 0);
        Assert.False(monitor.HasEvents);
        monitor.AddIfNeeded("command", 100, thresholdMs: 100);
        Assert.Equal(100, monitor.Latest().Single().LatencyMs);
    }

    [Fact]
    public void SamplesInOneSecond_KeepTheHighest()
    {
        var series = new LatencySeries("command");
        series.Add(1000, 200);
        series.Add(1000, 300);
        series.Add(1000, 250);
        Assert.Equal([(1000L, 300L)], series.Samples());
        Assert.Equal(300, series.Max);
    }

    [Fact]
    public void History_HoldsTheLast160Seconds_OldestFirst_AndTheAllTimeHigh()
    {
        var series = new LatencySeries("command");
        series.Add(1, 9999);
        for (int second = 2; second <= 200; second++) series.Add(second, second);
        var samples = series.Samples();
        Assert.Equal(LatencySeries.Capacity, samples.Count);
        Assert.Equal((41L, 41L), samples[0]);
        Assert.Equal((200L, 200L), series.Latest);
        Assert.Equal(9999, series.Max);
    }

    [Fact]
    public void Reset_OfNamedEvents_CountsOnlyThoseThatExisted()
    {
        var monitor = new LatencyMonitor();
        monitor.Add("command", 10);
        monitor.Add("fast-command", 10);
        Assert.Equal(1, monitor.Reset("command") + monitor.Reset("nosuch"));
        Assert.Equal(1, monitor.ResetAll());
        Assert.False(monitor.HasEvents);
    }
}
