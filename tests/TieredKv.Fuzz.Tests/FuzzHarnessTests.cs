using System.Buffers.Binary;

namespace TieredKv.Fuzz.Tests;

public sealed class FuzzHarnessTests
{
    private static FuzzHarness Harness(IFuzzTarget target) => new(target, TimeSpan.FromSeconds(2));

    [Fact]
    public void Execute_ReportsAllocationFinding_WhenTargetAllocatesAClaimedLength()
    {
        // Trusts a 4-byte length: 64 MiB for an 8-byte input.
        var greedy = new FakeTarget("greedy", input => GC.KeepAlive(new byte[BinaryPrimitives.ReadInt32LittleEndian(input)]));
        var outcome = Harness(greedy).Execute([0, 0, 0, 4, 0, 0, 0, 0]);
        Assert.Equal(FindingKind.Allocation, outcome.Finding);
        Assert.True(outcome.AllocatedBytes >= 64 << 20);
    }

    [Fact]
    public void Execute_AcceptsAllocationWithinBudget()
    {
        var modest = new FakeTarget("modest", input => GC.KeepAlive(new byte[input.Length * 8]));
        Assert.Null(Harness(modest).Execute(new byte[1000]).Finding);
    }

    [Fact]
    public void Execute_ReportsCrash_WhenTargetThrowsAnUndocumentedException()
    {
        var crashing = new FakeTarget("crashing", input => _ = input[input.Length]);
        var outcome = Harness(crashing).Execute([1]);
        Assert.Equal(FindingKind.Crash, outcome.Finding);
        Assert.IsType<IndexOutOfRangeException>(outcome.Error);
    }

    [Fact]
    public void Execute_ReportsRejection_WhenTargetThrowsItsDocumentedException()
    {
        var outcome = Harness(new FakeTarget("strict", _ => throw new FormatException("bad"))).Execute([1]);
        Assert.True(outcome.IsRejection);
        Assert.Null(outcome.Finding);
    }

    [Fact]
    public void Execute_ReportsHang_WhenTargetExceedsTheTimeBudget()
    {
        var slow = new FakeTarget("slow", _ => Thread.Sleep(300));
        var outcome = new FuzzHarness(slow, TimeSpan.FromMilliseconds(50)).Execute([1]);
        Assert.Equal(FindingKind.Hang, outcome.Finding);
    }

    [Fact]
    public void Run_SavesEachDistinctFindingWithItsException()
    {
        string dir = Path.Combine(Path.GetTempPath(), "fuzz-findings-" + Guid.NewGuid().ToString("N"));
        try
        {
            var crashing = new FakeTarget("crashing", input => { if (input.Length > 0 && input[0] == 1) throw new InvalidCastException("boom"); });
            var result = new FuzzRunner(crashing, new FuzzRunOptions { FindingsDirectory = dir, MaxExecutions = 500, Seed = 1 }).Run([[1, 2, 3]]);
            Assert.True(result.Findings > 0);
            string saved = Assert.Single(result.SavedFindings);
            Assert.Equal(1, File.ReadAllBytes(saved)[0]);
            Assert.Contains("InvalidCastException: boom", File.ReadAllText(Path.ChangeExtension(saved, ".txt")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Mutate_StaysWithinMaxLength_AndChangesInputs()
    {
        var mutator = new Mutator(new Random(3), maxLength: 100);
        byte[] input = [.. Enumerable.Range(0, 90).Select(i => (byte)i)];
        var mutants = Enumerable.Range(0, 500).Select(_ => mutator.Mutate(input, input)).ToList();
        Assert.All(mutants, m => Assert.True(m.Length <= 100));
        Assert.True(mutants.Count(m => !m.AsSpan().SequenceEqual(input)) > 450);
    }
}
