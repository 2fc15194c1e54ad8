using System.Diagnostics;
using System.Globalization;
using TieredKv.Benchmarks.DbBench;

namespace TieredKv.Benchmarks.KeyspaceBench;

/// <summary>
/// Whole-keyspace figures (<c>--keyspace-bench</c>): GET throughput for hot hits and for cold misses
/// (dataset 10× the memory budget, uniform random keys), hot-tier bytes per small string key, and
/// the time to reopen the store.
/// </summary>
public static class KeyspaceBenchRunner
{
    public static int RunFromCommandLine(string[] args)
    {
        long keys = Arg(args, "--keys", 1_000_000);
        int valueSize = (int)Arg(args, "--value-size", 64);
        long reads = Arg(args, "--reads", 1_000_000);
        string dir = Path.Combine(Path.GetTempPath(), "tieredkv-keyspace-bench");
        var keyGen = new KeyGenerator(16);
        var value = new byte[valueSize];
        new Random(1).NextBytes(value);

        Console.WriteLine($"keyspace bench: {keys:N0} string keys, 16 B keys, {valueSize} B values, {reads:N0} random GETs, {Environment.ProcessorCount} cores");
        var rows = new List<string>();

        // 1. Everything hot: a budget larger than the data (skipped for datasets too large to hold).
        bool hotPhase = !args.Contains("--skip-hot");
        Reset(dir);
        using (var store = Open(dir, maxMemory: hotPhase ? 4L << 30 : 1 << 20))
        {
            var db = store[0];
            var loadTimer = Stopwatch.StartNew();
            Load(db, keys, keyGen, value);
            rows.Add($"| load (SET) | {keys / loadTimer.Elapsed.TotalSeconds:N0} ops/s | sync no, one thread |");
        }
        if (hotPhase)
        using (var store = Open(dir, maxMemory: 4L << 30))
        {
            var db = store[0];
            WarmAll(db, keys, keyGen);
            var stats = store.GetStatistics();
            long withHot = GC.GetTotalMemory(forceFullCollection: true);
            for (int d = 0; d < store.DatabaseCount; d++) store.HotKeys.Clear(d);
            long withoutHot = GC.GetTotalMemory(forceFullCollection: true);
            rows.Add($"| hot-tier bytes per key (accounted) | {(double)stats.HotBytes / Math.Max(1, stats.HotKeys):F0} | {stats.HotKeys:N0} keys hot |");
            rows.Add($"| hot-tier bytes per key (GC heap with minus without) | {(double)(withHot - withoutHot) / Math.Max(1, stats.HotKeys):F0} | key {16} B + value {valueSize} B included |");
            WarmAll(db, keys, keyGen);
            double opsHot = TimeReads(db, keys, reads, keyGen, out long misses);
            rows.Add($"| GET, all keys hot | {opsHot:N0} ops/s | {misses} misses |");
        }

        // 2. Dataset 10x the budget: most reads miss the hot tier and go to the LSM.
        long budget = Math.Max(1 << 20, keys * (valueSize + 16 + 150) / 10);
        using (var store = Open(dir, maxMemory: budget))
        {
            var db = store[0];
            WarmAll(db, keys, keyGen);
            var s0 = store.GetStatistics();
            double opsCold = TimeReads(db, keys, reads, keyGen, out long misses);
            var s1 = store.GetStatistics();
            double hitRate = (double)(s1.HotHits - s0.HotHits) / Math.Max(1, (s1.HotHits - s0.HotHits) + (s1.HotMisses - s0.HotMisses));
            rows.Add($"| GET, data 10x the budget ({budget / (1 << 20)} MiB) | {opsCold:N0} ops/s | hot-tier hit rate {hitRate:P1}, {misses} misses, block cache hit rate {s1.Engine.BlockCacheHitRate:P1} |");
        }

        // 3. Restart time: open the store again (replays only the WAL tail).
        var sw = Stopwatch.StartNew();
        using (var store = Open(dir, maxMemory: budget))
        {
            sw.Stop();
            rows.Add($"| reopen | {sw.Elapsed.TotalMilliseconds:F0} ms | {store[0].DbSize():N0} keys, {DirectoryBytes(dir) / (1 << 20):N0} MiB on disk |");
        }
        Reset(dir);

        Console.WriteLine();
        Console.WriteLine("| measure | value | notes |");
        Console.WriteLine("|---|---:|---|");
        foreach (var r in rows) Console.WriteLine(r);
        return 0;
    }

    private static TieredKvStore Open(string dir, long maxMemory) => TieredKvStore.Open(dir, new TieredKvOptions
    {
        MaxMemoryBytes = maxMemory,
        AppendFsync = AppendFsync.No,
        Engine = new StorageOptions { BlockCacheBytes = 8L << 20 },
    });

    /// <summary>Every key gets its own random value, so the data on disk is as large as the data written (no repeats for LZ4 to fold).</summary>
    private static void Load(KvDatabase db, long keys, KeyGenerator keyGen, byte[] value)
    {
        var key = new byte[16];
        var rng = new Random(3);
        for (long i = 0; i < keys; i++)
        {
            keyGen.Write(i, key);
            rng.NextBytes(value);
            db.Set(key, value);
        }
    }

    private static void WarmAll(KvDatabase db, long keys, KeyGenerator keyGen)
    {
        var key = new byte[16];
        for (long i = 0; i < keys; i++)
        {
            keyGen.Write(i, key);
            db.Get(key);
        }
    }

    private static double TimeReads(KvDatabase db, long keys, long reads, KeyGenerator keyGen, out long misses)
    {
        var rng = new Random(7);
        var key = new byte[16];
        misses = 0;
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < reads; i++)
        {
            keyGen.Write(rng.NextInt64(keys), key);
            if (db.Get(key) == null) misses++;
        }
        return reads / sw.Elapsed.TotalSeconds;
    }

    private static long Arg(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static long DirectoryBytes(string dir) => Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);

    private static void Reset(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
