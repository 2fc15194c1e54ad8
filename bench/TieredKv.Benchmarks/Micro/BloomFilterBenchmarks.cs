using BenchmarkDotNet.Attributes;
using TieredKv.Storage.Table;

namespace TieredKv.Benchmarks.Micro;

/// <summary>Bloom filter probes (10 bits/key, as an 8 MiB table's filter) for present and absent keys.</summary>
public class BloomFilterBenchmarks
{
    private const int Keys = 70_000;
    private BloomFilter _filter = null!;
    private byte[][] _present = [];
    private byte[][] _absent = [];

    [GlobalSetup]
    public void Setup()
    {
        var keys = new DbBench.KeyGenerator(16);
        var builder = new BloomFilterBuilder(10);
        for (int i = 0; i < Keys; i++) builder.AddKey(keys.Make(i * 2));
        _filter = BloomFilter.TryParse(builder.Finish()) ?? throw new InvalidOperationException("filter did not parse");
        _present = Enumerable.Range(0, 1024).Select(i => keys.Make(i * 2 * 37 % (Keys * 2))).ToArray();
        _absent = Enumerable.Range(0, 1024).Select(i => keys.Make(i * 2 * 37 % (Keys * 2) + 1)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public int ProbePresent() => Probe(_present);

    [Benchmark(OperationsPerInvoke = 1024)]
    public int ProbeAbsent() => Probe(_absent);

    private int Probe(byte[][] keys)
    {
        int hits = 0;
        foreach (var k in keys) if (_filter.KeyMayMatch(k)) hits++;
        return hits;
    }
}
