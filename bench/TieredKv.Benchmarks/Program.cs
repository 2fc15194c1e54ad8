using BenchmarkDotNet.Running;

namespace TieredKv.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet micro benchmarks.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
