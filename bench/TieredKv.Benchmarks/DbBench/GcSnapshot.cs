using System.Globalization;

namespace TieredKv.Benchmarks.DbBench;

/// <summary>Process-wide GC counters at one moment, to show how much of a workload went to garbage collection.</summary>
public readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated)
{
    public static GcSnapshot Take() => new(
        GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());

    public string DescribeSince(GcSnapshot before) => string.Create(CultureInfo.InvariantCulture,
        $"GC: {Gen0 - before.Gen0} gen0, {Gen1 - before.Gen1} gen1, {Gen2 - before.Gen2} gen2 collections; {(Pause - before.Pause).TotalMilliseconds:F0} ms paused; {(Allocated - before.Allocated) / (1024.0 * 1024.0):F0} MB allocated");
}
