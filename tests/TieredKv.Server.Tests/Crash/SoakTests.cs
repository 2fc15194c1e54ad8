using TieredKv.CrashTest;

namespace TieredKv.Server.Tests.Crash;

/// <summary>A short soak: 200 connections with every reply checked while flushes and compactions run; memory stays bounded.</summary>
public sealed class SoakTests
{
    [Fact]
    public void TwoHundredConnections_EveryReplyMatchesItsModel_RssStaysBounded()
    {
        var options = new CrashTestOptions { Soak = true, Connections = 200, Seconds = 10, SampleSeconds = 5, Fsync = "everysec", Seed = 3 };
        var log = new StringWriter();
        var result = new SoakRunner(options, log).Run();
        Assert.True(result.Failures.Count == 0, log.ToString());
        Assert.True(result.Requests > 2000, log.ToString());
        Assert.True(result.Flushes > 0, $"the soak should flush memtables: {log}");
        Assert.True(result.MaxRssBytes is > 0 and < 1L << 30, log.ToString());
    }
}
