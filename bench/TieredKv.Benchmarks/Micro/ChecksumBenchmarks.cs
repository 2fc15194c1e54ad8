using BenchmarkDotNet.Attributes;
using TieredKv.Storage.Util;

namespace TieredKv.Benchmarks.Micro;

/// <summary>CRC-32C throughput over a typical block size.</summary>
[MemoryDiagnoser]
public class ChecksumBenchmarks
{
    private readonly byte[] _block = new byte[8192];

    [GlobalSetup]
    public void Setup() => new Random(1).NextBytes(_block);

    [Benchmark]
    public uint Crc32CBlock() => Crc32C.Compute(_block);
}
