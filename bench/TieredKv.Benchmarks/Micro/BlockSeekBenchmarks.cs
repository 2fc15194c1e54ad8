using BenchmarkDotNet.Attributes;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.Table;

namespace TieredKv.Benchmarks.Micro;

/// <summary>Seeks inside one 8 KiB data block of internal keys (restart interval 16), the last step of a point read.</summary>
public class BlockSeekBenchmarks
{
    private BlockIterator _iterator = null!;
    private byte[][] _targets = [];

    [GlobalSetup]
    public void Setup()
    {
        var keys = new DbBench.KeyGenerator(16);
        var builder = new BlockBuilder(16);
        var value = new byte[100];
        int n = 0;
        while (builder.CurrentSizeEstimate < 8 * 1024)
            builder.Add(InternalKey.Create(keys.Make(n++), 1, EntryType.Value), value);
        var data = builder.Finish().ToArray();
        _iterator = new Block(data, data.Length, "bench", 0).NewIterator();
        var random = new Random(3);
        _targets = Enumerable.Range(0, 256).Select(_ => InternalKey.ForSeek(keys.Make(random.Next(n)), InternalKey.MaxSequence)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 256)]
    public int Seek()
    {
        int found = 0;
        foreach (var t in _targets)
        {
            _iterator.Seek(t);
            if (_iterator.Valid) found++;
        }
        return found;
    }
}
