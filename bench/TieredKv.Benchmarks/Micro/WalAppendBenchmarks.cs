using BenchmarkDotNet.Attributes;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Wal;

namespace TieredKv.Benchmarks.Micro;

/// <summary>
/// One write's WAL cost under <see cref="WalSyncPolicy.No"/>/<see cref="WalSyncPolicy.EverySec"/>: frame a one-entry
/// batch (16 + 100 bytes) and commit it, which is one write(2) to the OS per group.
/// </summary>
public class WalAppendBenchmarks
{
    private const int Records = 10_000;
    private string _directory = "";
    private WalWriter _wal = null!;
    private WriteBatch _batch = null!;
    private ulong _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "tkv-wal-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_directory);
        _wal = new WalWriter(new LocalFileSystem().CreateWritable(Path.Combine(_directory, "bench.log")), 1);
        _batch = new WriteBatch();
        _batch.Put(new DbBench.KeyGenerator(16).Make(1), new byte[100]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _wal.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public void AddAndCommit()
    {
        for (int i = 0; i < Records; i++)
        {
            _wal.AddBatch(++_sequence, _batch);
            _wal.Commit(sync: false);
        }
    }
}
