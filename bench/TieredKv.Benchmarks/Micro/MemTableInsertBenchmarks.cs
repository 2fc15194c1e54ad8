using BenchmarkDotNet.Attributes;
using TieredKv.Storage.Format;
using TieredKv.Storage.MemTables;

namespace TieredKv.Benchmarks.Micro;

/// <summary>Memtable (skip list) inserts of 16-byte keys with 100-byte values, in sequential and random key order.</summary>
[MemoryDiagnoser]
public class MemTableInsertBenchmarks
{
    private const int Count = 100_000;
    private byte[][] _sequentialKeys = [];
    private byte[][] _randomKeys = [];
    private readonly byte[] _value = new byte[100];

    [GlobalSetup]
    public void Setup()
    {
        var keys = new DbBench.KeyGenerator(16);
        _sequentialKeys = Enumerable.Range(0, Count).Select(i => keys.Make(i)).ToArray();
        _randomKeys = (byte[][])_sequentialKeys.Clone();
        new Random(42).Shuffle(_randomKeys);
        new Random(7).NextBytes(_value);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public long InsertSequential() => Fill(_sequentialKeys);

    [Benchmark(OperationsPerInvoke = Count)]
    public long InsertRandom() => Fill(_randomKeys);

    private long Fill(byte[][] keys)
    {
        var mem = new MemTable(1);
        ulong sequence = 1;
        foreach (var key in keys) mem.Add(sequence++, EntryType.Value, key, _value);
        return mem.EntryCount;
    }
}
