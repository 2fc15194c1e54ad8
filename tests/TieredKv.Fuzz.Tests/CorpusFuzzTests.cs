namespace TieredKv.Fuzz.Tests;

/// <summary>CI's bounded fuzzing: every target over the committed corpus, then a fixed-seed run of mutants.</summary>
public sealed class CorpusFuzzTests
{
    /// <summary>About 10 s per target keeps the six under a minute and a half on two cores.</summary>
    private static readonly TimeSpan PerTarget = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("resp")]
    [InlineData("rdb")]
    [InlineData("dump")]
    [InlineData("sstable")]
    [InlineData("wal")]
    [InlineData("manifest")]
    public void Target_HasNoFinding_OnCorpusAndBoundedMutations(string name)
    {
        var seeds = FuzzTargets.LoadCorpus(Path.Combine(AppContext.BaseDirectory, "corpus", name));
        Assert.NotEmpty(seeds);
        string findings = Path.Combine(AppContext.BaseDirectory, "fuzz-findings");
        var options = new FuzzRunOptions { Duration = PerTarget, MaxExecutions = 1_000_000, Seed = 20261204, FindingsDirectory = findings, TimeBudget = TimeSpan.FromSeconds(5) };
        var result = new FuzzRunner(FuzzTargets.Create(name), options).Run(seeds);
        Assert.True(result.Executions > seeds.Count, result.ToString());
        Assert.True(result.Findings == 0,
            $"{result}\n" + string.Join("\n", result.SavedFindings.Select(p => $"{p}\n{File.ReadAllText(Path.ChangeExtension(p, ".txt"))}")));
    }
}
