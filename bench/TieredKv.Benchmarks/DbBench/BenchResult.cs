namespace TieredKv.Benchmarks.DbBench;

/// <summary>The outcome of one workload: throughput figures plus a free-form note (found keys, write amplification, ...).</summary>
public sealed record BenchResult(string Name, string Sync, int Threads, long Ops, long Bytes, TimeSpan Elapsed, string Note)
{
    public double OpsPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Ops / Elapsed.TotalSeconds;
    public double MegabytesPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Bytes / (1024.0 * 1024.0) / Elapsed.TotalSeconds;
    public double MicrosPerOp => Ops == 0 ? 0 : Elapsed.TotalMicroseconds / Ops;
}
