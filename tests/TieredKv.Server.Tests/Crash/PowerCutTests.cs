using TieredKv.CrashTest;
using TieredKv.CrashTest.PowerCut;

namespace TieredKv.Server.Tests.Crash;

/// <summary>
/// The power-cut torture, short: the real server on a powercut_fs mount, power cut at random moments under
/// four writers with engine sizes small enough that flushes, WAL switches and compactions run throughout.
/// Unlike kill -9, a cut loses whatever was not fsynced, names whose directory was not fsynced included.
/// </summary>
public sealed class PowerCutTests
{
    private static CrashTestResult Run(string fsync, int seed)
    {
        Skip.If(FuseSupport.WhyUnavailable() is not null, FuseSupport.WhyUnavailable());
        var options = new CrashTestOptions { PowerCut = true, Cycles = 6, SecondsPerCycle = 4.5, Fsync = fsync, Seed = seed };
        var log = new StringWriter();
        var result = new CrashTestRunner(options, log).Run();
        Assert.True(result.Violations.Count == 0, log.ToString());
        Assert.Equal(0, result.FailedRestarts);
        Assert.Equal(options.Cycles, result.Cycles);
        return result;
    }

    [SkippableFact]
    public void AppendFsyncAlways_EveryAcknowledgedWriteAndEveryRestartSurvivesPowerCuts()
    {
        var result = Run("always", seed: 17);
        Assert.Equal(0, result.LostAcknowledged);
        Assert.True(result.AcknowledgedChecked > 1000, result.ToString());
        Assert.True(result.Flushes > 0, $"the run should flush memtables: {result}");
        Assert.True(result.StoreEntries > 0, result.ToString());
    }

    [SkippableFact]
    public void AppendFsyncEverysec_OnlyTheLastSecondIsLost_AndWhatSurvivesIsAPrefix()
    {
        // Every restart must hold a prefix of each writer's commands (DbPowerCutCompactionTests pins the compaction case).
        var result = Run("everysec", seed: 102);
        Assert.True(result.MaxLostMillis <= 1500, result.ToString());
        Assert.True(result.Compactions > 0, $"the run should compact: {result}");
    }
}
