using System.Text;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Tests.Table;

public sealed class BloomFilterTests
{
    private static BloomFilter Build(int keys, int bitsPerKey)
    {
        var builder = new BloomFilterBuilder(bitsPerKey);
        for (int i = 0; i < keys; i++) builder.AddKey(Encoding.ASCII.GetBytes($"present-{i}"));
        return BloomFilter.TryParse(builder.Finish())!;
    }

    [Fact]
    public void KeyMayMatch_HasNoFalseNegatives()
    {
        var filter = Build(10_000, 10);
        for (int i = 0; i < 10_000; i++) Assert.True(filter.KeyMayMatch(Encoding.ASCII.GetBytes($"present-{i}")));
    }

    [Fact]
    public void KeyMayMatch_FalsePositiveRateBelowTwoPercent_AtTenBitsPerKey()
    {
        var filter = Build(10_000, 10);
        int falsePositives = 0;
        for (int i = 0; i < 10_000; i++)
            if (filter.KeyMayMatch(Encoding.ASCII.GetBytes($"absent-{i}"))) falsePositives++;
        Assert.True(falsePositives < 200, $"{falsePositives} false positives in 10000");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 7)]
    [InlineData(100, 30)]
    public void ProbeCount_IsRoundedBitsTimesLn2_Clamped(int bitsPerKey, int expected) =>
        Assert.Equal(expected, BloomFilter.ProbeCount(bitsPerKey));

    [Fact]
    public void TryParse_RejectsBadProbeCount()
    {
        Assert.Null(BloomFilter.TryParse([0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Null(BloomFilter.TryParse([0, 0, 0, 0, 0, 0, 0, 0, 31]));
    }
}
