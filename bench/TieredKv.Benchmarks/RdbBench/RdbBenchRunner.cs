using System.Diagnostics;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;

namespace TieredKv.Benchmarks.RdbBench;

/// <summary>
/// RDB figures (<c>--rdb-bench [--strings N] [--hashes N]</c>): CRC-64 throughput; writing and reading an RDB file of
/// string keys (100 B values) and large hashes; importing that file into a store and exporting the store again; redis-server's own load time of both files.
/// </summary>
public static class RdbBenchRunner
{
    public static int RunFromCommandLine(string[] args)
    {
        long strings = Arg(args, "--strings", 1_000_000);
        long hashes = Arg(args, "--hashes", 100);
        const int fieldsPerHash = 10_000;
        string dir = Path.Combine(Path.GetTempPath(), "tieredkv-rdb-bench");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "bench.rdb");
        Console.WriteLine($"rdb bench: {strings:N0} strings of 100 B, {hashes:N0} hashes of {fieldsPerHash:N0} fields, {Environment.ProcessorCount} cores");

        var buffer = new byte[256 << 20];
        new Random(1).NextBytes(buffer);
        var t = Stopwatch.StartNew();
        ulong crc = Crc64Jones.Compute(buffer);
        Row("CRC-64/Jones", $"{buffer.Length / t.Elapsed.TotalSeconds / (1 << 20):N0} MiB/s", $"crc {crc:x16}");

        var value = new byte[100];
        new Random(2).NextBytes(value);
        t.Restart();
        using (var f = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var w = new RdbWriter(f);
            w.SelectDatabase(0, strings + hashes, 0);
            var key = new byte[16];
            for (long i = 0; i < strings; i++)
            {
                BitConverter.TryWriteBytes(key, i);
                w.WriteString(key, value);
            }
            for (long h = 0; h < hashes; h++)
            {
                w.BeginHash(BitConverter.GetBytes(-h - 1), fieldsPerHash);
                for (int i = 0; i < fieldsPerHash; i++) w.AddHashField(BitConverter.GetBytes(i), value.AsSpan(0, 20 + i % 50));
            }
            w.Finish();
        }
        double mib = new FileInfo(file).Length / (double)(1 << 20);
        Row("RdbWriter", $"{mib / t.Elapsed.TotalSeconds:N0} MiB/s", $"{mib:N0} MiB in {t.Elapsed.TotalSeconds:N1} s");

        t.Restart();
        long elements = 0, keys = 0;
        long gcBefore = GC.GetTotalAllocatedBytes();
        using (var f = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            var r = new RdbReader(f);
            while (r.TryReadNext(out var e))
            {
                keys++;
                if (e.Value.Count == 1 && e.Type == Keyspace.KeyType.String) { elements++; continue; }
                foreach (var _ in e.Value.Elements()) elements++;
            }
            if (!r.ChecksumVerified) throw new InvalidOperationException("checksum not verified");
        }
        Row("RdbReader (all elements)", $"{mib / t.Elapsed.TotalSeconds:N0} MiB/s", $"{keys / t.Elapsed.TotalSeconds:N0} keys/s, {elements / t.Elapsed.TotalSeconds:N0} elements/s, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB");

        if (RedisLoadTimer.Time(file) is { } redis)
            Row("redis-server loading the same file", $"{mib / redis.Load.TotalSeconds:N0} MiB/s", $"{redis.Load.TotalSeconds:N1} s to answer PING (process start included), {redis.Keys:N0} keys");
        else
            Row("redis-server loading the same file", "n/a", "redis-server is not installed");

        string storeDir = Path.Combine(dir, "store");
        using (var store = TieredKvStore.Open(storeDir, new TieredKvOptions { AppendFsync = AppendFsync.No, MaxMemoryBytes = 64L << 20 }))
        {
            t.Restart();
            RdbImportResult imported;
            using (var f = File.OpenRead(file)) imported = RdbImporter.Import(f, store, new RdbImportOptions { VerifyFirst = false });
            Row("RdbImporter into a store", $"{imported.Imported / t.Elapsed.TotalSeconds:N0} keys/s", $"{mib / t.Elapsed.TotalSeconds:N1} MiB/s of file, {imported.Imported:N0} keys");

            // Baseline for the importer: the same string keys written with SET into another database.
            t.Restart();
            var db1 = store[1];
            var key = new byte[16];
            for (long i = 0; i < strings; i++)
            {
                BitConverter.TryWriteBytes(key, i);
                db1.Set(key, value);
            }
            Row("SET of the same string keys (baseline)", $"{strings / t.Elapsed.TotalSeconds:N0} keys/s", "KvDatabase.Set, one thread");
            db1.FlushDb();

            t.Restart();
            string exported = Path.Combine(dir, "export.rdb");
            using (var snap = store.OpenSnapshot())
            {
                var result = RdbFile.Save(snap, exported);
                Row("RdbExporter from a store", $"{result.Keys / t.Elapsed.TotalSeconds:N0} keys/s", $"{result.Bytes / t.Elapsed.TotalSeconds / (1 << 20):N1} MiB/s, {result.Bytes >> 20} MiB");
            }
            if (RedisLoadTimer.Time(exported) is { } redisExport)
                Row("redis-server loading our export", $"{new FileInfo(exported).Length / (double)(1 << 20) / redisExport.Load.TotalSeconds:N0} MiB/s", $"{redisExport.Load.TotalSeconds:N1} s, {redisExport.Keys:N0} keys");
        }
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static void Row(string what, string rate, string note) => Console.WriteLine($"| {what} | {rate} | {note} |");

    private static long Arg(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
