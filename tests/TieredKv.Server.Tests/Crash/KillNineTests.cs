using TieredKv.CrashTest;

namespace TieredKv.Server.Tests.Crash;

/// <summary>
/// The kill -9 torture, short: the real server as a child process, SIGKILLed at random moments under
/// four writers with engine sizes small enough that flushes and compactions run throughout.
/// </summary>
public sealed class KillNineTests
{
    private static CrashTestResult Run(string fsync, int cycles, int seed)
    {
        var options = new CrashTestOptions { Cycles = cycles, SecondsPerCycle = 2, Fsync = fsync, Seed = seed };
        var log = new StringWriter();
        var result = new CrashTestRunner(options, log).Run();
        Assert.True(result.Violations.Count == 0, log.ToString());
        Assert.Equal(cycles, result.Cycles);
        return result;
    }

    [Fact]
    public void AppendFsyncAlways_EveryAcknowledgedWriteSurvivesEachKill()
    {
        var result = Run("always", cycles: 12, seed: 7);
        Assert.Equal(0, result.LostAcknowledged);
        Assert.True(result.AcknowledgedChecked > 1000, result.ToString());
        Assert.True(result.Flushes > 0 && result.Compactions > 0, $"the run should flush and compact: {result}");
        Assert.True(result.StoreEntries > 0, result.ToString());
    }

    [Fact]
    public void AppendFsyncEverysec_RecoveredStateIsAPrefixOfEachWritersCommands()
    {
        var result = Run("everysec", cycles: 5, seed: 11);
        Assert.True(result.AcknowledgedChecked > 500, result.ToString());
    }
}
