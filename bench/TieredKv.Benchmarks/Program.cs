using BenchmarkDotNet.Running;
using TieredKv.Benchmarks.DbBench;

namespace TieredKv.Benchmarks;

/// <summary>Entry point: <c>--db-bench</c> runs the whole-engine db_bench-like runner, <c>--keyspace-bench</c> the keyspace figures, <c>--rdb-bench</c> the RDB figures; anything else goes to BenchmarkDotNet.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--db-bench", StringComparer.Ordinal))
            return DbBenchRunner.RunFromCommandLine(args.Where(a => a != "--db-bench").ToArray());
        if (args.Contains("--rdb-bench", StringComparer.Ordinal))
            return RdbBench.RdbBenchRunner.RunFromCommandLine(args.Where(a => a != "--rdb-bench").ToArray());
        if (args.Contains("--keyspace-bench", StringComparer.Ordinal))
            return KeyspaceBench.KeyspaceBenchRunner.RunFromCommandLine(args.Where(a => a != "--keyspace-bench").ToArray());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
