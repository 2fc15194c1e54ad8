using System.Diagnostics;
using System.Globalization;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv.Benchmarks.DbBench;

/// <summary>
/// A whole-engine benchmark in the manner of LevelDB's db_bench: runs the named workloads in order against a
/// database directory, prints one line per workload plus the engine statistics, then a summary table.
/// </summary>
public sealed class DbBenchRunner
{
    private readonly DbBenchOptions _options;
    private readonly KeyGenerator _keys;
    private readonly List<BenchResult> _results = [];
    private readonly TextWriter _out;

    public DbBenchRunner(DbBenchOptions options, TextWriter output)
    {
        _options = options;
        _keys = new KeyGenerator(options.KeySize);
        _out = output;
    }

    public IReadOnlyList<BenchResult> Results => _results;

    /// <summary>Parses <paramref name="args"/> and runs; returns the process exit code.</summary>
    public static int RunFromCommandLine(IReadOnlyList<string> args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(DbBenchOptions.Usage);
            return 0;
        }
        DbBenchOptions options;
        try
        {
            options = DbBenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(DbBenchOptions.Usage);
            return 2;
        }
        new DbBenchRunner(options, Console.Out).Run();
        return 0;
    }

    public void Run()
    {
        PrintHeader();
        foreach (string name in _options.Benchmarks)
        {
            _out.WriteLine($"== {name}");
            var gcBefore = GcSnapshot.Take();
            BenchResult result = name switch
            {
                "fillseq" => Fill(name, fresh: true, sequential: true),
                "fillrandom" => Fill(name, fresh: true, sequential: false),
                "overwrite" => Fill(name, fresh: false, sequential: false, seedOffset: 7919),
                "readrandom" => ReadRandomWarm(),
                "readrandom-cold" => ReadRandomCold(),
                "readseq" => ReadSeq(),
                "writeamp" => WriteAmp(),
                _ => throw new ArgumentException($"unknown benchmark {name}"),
            };
            _out.WriteLine("  " + GcSnapshot.Take().DescribeSince(gcBefore));
            _results.Add(result);
            _out.WriteLine(ResultTable.FormatLine(result));
            _out.WriteLine();
        }
        _out.WriteLine("Summary");
        _out.WriteLine(ResultTable.Aligned(_results));
        _out.WriteLine("Markdown");
        _out.WriteLine(ResultTable.Markdown(_results));
        if (!_options.KeepDirectory && System.IO.Directory.Exists(_options.Directory))
            System.IO.Directory.Delete(_options.Directory, recursive: true);
    }

    private void PrintHeader()
    {
        var inv = CultureInfo.InvariantCulture;
        _out.WriteLine(string.Create(inv, $"TieredKv db_bench   {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC"));
        _out.WriteLine(string.Create(inv, $"Runtime:    .NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs, Server GC={System.Runtime.GCSettings.IsServerGC}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"));
        _out.WriteLine(string.Create(inv, $"Keys:       {_options.KeySize} bytes each; values {_options.ValueSize} bytes ({_options.CompressionRatio:F2} compressible); entries {_options.Num:N0}"));
        _out.WriteLine(string.Create(inv, $"Raw size:   {(double)(_options.KeySize + _options.ValueSize) * _options.Num / (1 << 20):F1} MB"));
        _out.WriteLine(string.Create(inv, $"Options:    sync={DbBenchOptions.SyncName(_options.Sync)} threads={_options.Threads} batch={_options.BatchSize} cache={_options.CacheBytes >> 20} MiB write_buffer={_options.WriteBufferSize >> 20} MiB compression={_options.Compression}"));
        _out.WriteLine(string.Create(inv, $"Directory:  {_options.Directory}"));
        _out.WriteLine(new string('-', 60));
    }

    // ---------------------------------------------------------------- database lifecycle

    private DbOptions MakeDbOptions(long cacheBytes) => new()
    {
        WalSync = _options.Sync,
        BlockCacheBytes = cacheBytes,
        WriteBufferSize = _options.WriteBufferSize,
        Compression = _options.Compression,
    };

    private Db Open(bool fresh, long cacheBytes)
    {
        if (fresh && System.IO.Directory.Exists(_options.Directory)) System.IO.Directory.Delete(_options.Directory, recursive: true);
        return Db.Open(_options.Directory, MakeDbOptions(cacheBytes));
    }

    private void PrintStatistics(Db db)
    {
        _out.WriteLine(StatisticsReport.Format(db.GetStatistics()).TrimEnd());
    }

    // ---------------------------------------------------------------- writes

    private BenchResult Fill(string name, bool fresh, bool sequential, int seedOffset = 0)
    {
        using var db = Open(fresh, _options.CacheBytes);
        long num = _options.Num;
        int threads = _options.Threads;
        var elapsed = RunWriters(db, num, threads, sequential, keySpace: num, seedOffset);
        PrintStatistics(db);
        long bytes = num * (_options.KeySize + _options.ValueSize);
        return new BenchResult(name, DbBenchOptions.SyncName(_options.Sync), threads, num, bytes, elapsed, StallNote(db));
    }

    /// <summary>Writes <paramref name="total"/> entries split over <paramref name="threads"/> threads; returns the wall time.</summary>
    private TimeSpan RunWriters(Db db, long total, int threads, bool sequential, long keySpace, int seedOffset = 0)
    {
        var workers = new Thread[threads];
        using var start = new ManualResetEventSlim();
        Exception? failure = null;
        long share = total / threads;
        for (int t = 0; t < threads; t++)
        {
            long first = t * share;
            long count = t == threads - 1 ? total - first : share;
            int seed = _options.Seed + seedOffset + t;
            workers[t] = new Thread(() =>
            {
                try
                {
                    start.Wait();
                    WriteRange(db, first, count, sequential, keySpace, seed);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            })
            { IsBackground = true, Name = $"dbbench-writer-{t}" };
            workers[t].Start();
        }
        var sw = Stopwatch.StartNew();
        start.Set();
        foreach (var w in workers) w.Join();
        sw.Stop();
        if (failure != null) throw new InvalidOperationException($"writer failed: {failure.Message}", failure);
        return sw.Elapsed;
    }

    private void WriteRange(Db db, long first, long count, bool sequential, long keySpace, int seed)
    {
        var random = new Random(seed);
        var values = new ValueGenerator(_options.ValueSize, _options.CompressionRatio, seed);
        Span<byte> key = stackalloc byte[_options.KeySize];
        var batch = new WriteBatch();
        int batchSize = _options.BatchSize;
        for (long i = 0; i < count; i++)
        {
            long index = sequential ? first + i : random.NextInt64(keySpace);
            _keys.Write(index, key);
            batch.Put(key, values.Next());
            if (batch.Count >= batchSize)
            {
                db.Write(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0) db.Write(batch);
    }

    private static string StallNote(Db db)
    {
        var s = db.GetStatistics();
        return string.Create(CultureInfo.InvariantCulture,
            $"stalls {s.StallSlowdowns}/{s.StallStops} ({s.StallMicros / 1000.0:F0} ms); WA {s.WriteAmplification:F2}; {(s.WriteGroups == 0 ? 0 : (double)s.WriteBatches / s.WriteGroups):F2} batches/group");
    }

    /// <summary>
    /// Random writes totalling <see cref="DbBenchOptions.WriteAmpBytes"/> of key + value into a fresh database with
    /// default engine options (apart from sync and cache), then a Flush and a bounded wait until no level is over
    /// its target (no CompactRange), then the write amplification.
    /// </summary>
    private BenchResult WriteAmp()
    {
        using var db = Open(fresh: true, _options.CacheBytes);
        int entry = _options.KeySize + _options.ValueSize;
        long ops = _options.WriteAmpBytes / entry;
        var elapsed = RunWriters(db, ops, _options.Threads, sequential: false, keySpace: ops);
        _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  writeamp: wrote {ops:N0} entries in {elapsed.TotalSeconds:F1} s; flushing and waiting for compactions to settle"));
        var settle = Stopwatch.StartNew();
        db.Flush();
        bool settled = WaitForSettle(db, _options.SettleTimeout);
        settle.Stop();
        PrintStatistics(db);
        var s = db.GetStatistics();
        string note = string.Create(CultureInfo.InvariantCulture,
            $"WA {s.WriteAmplification:F2}, total WA {s.TotalWriteAmplification:F2}; {(settled ? "settled" : "NOT settled")} after {settle.Elapsed.TotalSeconds:F0} s; {_options.WriteAmpBytes >> 20} MiB user data; stalls {s.StallSlowdowns}/{s.StallStops}");
        return new BenchResult("writeamp", DbBenchOptions.SyncName(_options.Sync), _options.Threads, ops, ops * entry, elapsed, note);
    }

    /// <summary>Waits until nothing is waiting to be flushed, L0 is under its trigger and no level is over its target.</summary>
    private static bool WaitForSettle(Db db, TimeSpan timeout)
    {
        var defaults = new DbOptions();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var s = db.GetStatistics();
            bool busy = s.ImmutableMemTables > 0 || s.Levels[0].Files >= defaults.L0CompactionTrigger;
            for (int l = 1; l < s.Levels.Count - 1 && !busy; l++)
                if (s.Levels[l].Bytes >= s.Levels[l].TargetBytes) busy = true;
            if (!busy) return true;
            if (sw.Elapsed > timeout) return false;
            Thread.Sleep(250);
        }
    }

    // ---------------------------------------------------------------- reads

    private BenchResult ReadRandomWarm()
    {
        using var db = Open(fresh: false, _options.CacheBytes);
        // Warm-up pass (not timed): a scan that fills the block cache.
        using (var it = db.NewIterator())
            for (it.SeekToFirst(); it.Valid; it.Next()) { }
        var r = ReadRandom(db, "readrandom");
        PrintStatistics(db);
        return r;
    }

    private BenchResult ReadRandomCold()
    {
        using (var db = Open(fresh: false, _options.CacheBytes))
            db.CompactRange();
        using var cold = Open(fresh: false, _options.ColdCacheBytes);
        var r = ReadRandom(cold, "readrandom-cold");
        PrintStatistics(cold);
        return r;
    }

    private BenchResult ReadRandom(Db db, string name)
    {
        long ops = _options.ReadOps;
        var random = new Random(_options.Seed + 1000);
        Span<byte> key = stackalloc byte[_options.KeySize];
        long found = 0, bytes = 0;
        var sw = Stopwatch.StartNew();
        for (long i = 0; i < ops; i++)
        {
            _keys.Write(random.NextInt64(_options.Num), key);
            var value = db.Get(key);
            if (value != null)
            {
                found++;
                bytes += key.Length + value.Length;
            }
        }
        sw.Stop();
        var s = db.GetStatistics();
        string note = string.Create(CultureInfo.InvariantCulture,
            $"{found:N0} of {ops:N0} found; cache hit {s.BlockCacheHitRate:P1} ({s.BlockCacheCapacity >> 20} MiB)");
        return new BenchResult(name, "-", 1, ops, bytes, sw.Elapsed, note);
    }

    private BenchResult ReadSeq()
    {
        using var db = Open(fresh: false, _options.CacheBytes);
        long ops = 0, bytes = 0;
        var sw = Stopwatch.StartNew();
        using (var it = db.NewIterator())
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                ops++;
                bytes += it.Key.Length + it.Value.Length;
            }
        }
        sw.Stop();
        PrintStatistics(db);
        return new BenchResult("readseq", "-", 1, ops, bytes, sw.Elapsed, string.Create(CultureInfo.InvariantCulture, $"{ops:N0} entries scanned"));
    }
}
