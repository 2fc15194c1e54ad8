using TieredKv.Server.Monitoring;

namespace TieredKv.Server.Tests.Monitoring;

/// <summary>The command latency histogram reports what Redis's HDR histogram reports for the same durations.</summary>
public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(2, 2007)] // Redis: latency_percentiles_usec_get:p50=2.007 for one 2 µs call
    [InlineData(7, 7007)] // Redis: p50=7.007 for one 7 µs call
    [InlineData(0, 1031)] // clamped to 1024 ns
    [InlineData(1223, 1228799)]
    [InlineData(5_000_000, 1_002_438_655)] // clamped to 1 s
    public void OneCall_PercentileIsItsHighestEquivalentValue(long micros, long expectedNanos)
    {
        var histogram = new LatencyHistogram();
        histogram.RecordMicros(micros);
        Assert.Equal(expectedNanos, histogram.ValueAtPercentile(50));
        Assert.Equal(expectedNanos, histogram.ValueAtPercentile(99.9));
    }

    [Fact]
    public void Percentiles_RankTheCalls()
    {
        var histogram = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) histogram.RecordMicros(i);
        Assert.Equal(50_175, histogram.ValueAtPercentile(50)); // 50 µs: in a sub-bucket of 256 ns
        Assert.Equal(99_327, histogram.ValueAtPercentile(99)); // 99 µs: in a sub-bucket of 512 ns
    }

    [Fact]
    public void Distribution_IsCumulative_ByPowerOfTwoLevels_OnlyWhereCallsWereAdded()
    {
        var histogram = new LatencyHistogram();
        foreach (long micros in new long[] { 1, 2, 3, 4, 5, 100 }) histogram.RecordMicros(micros);
        Assert.Equal([(1L, 1L), (2L, 2L), (4L, 4L), (8L, 5L), (132L, 6L)], histogram.CumulativeDistribution());
        Assert.Equal(6, histogram.TotalCount);
    }

    [Fact]
    public void Reset_ForgetsEveryCall()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordMicros(10);
        histogram.Reset();
        Assert.Equal(0, histogram.TotalCount);
        Assert.Empty(histogram.CumulativeDistribution());
    }

    [Fact]
    public void RecordingCalls_AllocatesNothing_OnceTheHistogramExists()
    {
        var statistics = new CommandStatistics();
        statistics.RecordCall(5, failed: false, trackLatency: true);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) statistics.RecordCall(i, failed: i % 7 == 0, trackLatency: true);
        statistics.RecordRejected();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_001, statistics.Calls);
    }
}
