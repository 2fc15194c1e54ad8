using System.Diagnostics;
using System.Globalization;

namespace TieredKv.CrashTest;

/// <summary>
/// The soak: many connections issuing checked commands against one server (small engine sizes, so
/// flushes and compactions run all along) for a fixed time, sampling the server's RSS and the
/// round-trip latency percentiles every few seconds into a table.
/// </summary>
internal sealed class SoakRunner(CrashTestOptions options, TextWriter log)
{
    public SoakResult Run()
    {
        Directory.CreateDirectory(options.DataDir);
        var result = new SoakResult();
        using (var server = ServerProcess.Start(options.ServerDll, options.DataDir,
        [
            "--appendfsync", options.Fsync, "--loglevel", "warning", "--maxclients", (options.Connections + 100).ToString(CultureInfo.InvariantCulture),
            "--tieredkv-write-buffer-size", options.WriteBufferSize,
            "--tieredkv-level-base-size", options.LevelBaseSize,
            "--tieredkv-target-file-size", options.TargetFileSize,
        ], TimeSpan.FromSeconds(60)))
        {
            var random = new Random(options.Seed);
            var clients = Enumerable.Range(0, options.Connections).Select(i => new SoakClient(i, keysPerKind: 4, random.Next())).ToArray();
            using var stop = new CancellationTokenSource();
            var threads = clients.Select(c => new Thread(() => c.Run(server.Port, stop.Token)) { IsBackground = true }).ToList();
            foreach (var t in threads) t.Start();
            log.WriteLine($"soak: {options.Connections} connections for {options.Seconds} s, fsync {options.Fsync}, seed {options.Seed}, server pid {server.Pid}");
            log.WriteLine($"{"t (s)",6} {"ops/s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"RSS MiB",8} {"flushes",8} {"compact",8}");
            var clock = Stopwatch.StartNew();
            var all = new List<double>();
            while (clock.Elapsed.TotalSeconds < options.Seconds && clients.All(c => c.Failure == null))
            {
                var interval = Stopwatch.StartNew();
                Thread.Sleep(TimeSpan.FromSeconds(Math.Min(options.SampleSeconds, Math.Max(0.1, options.Seconds - clock.Elapsed.TotalSeconds))));
                var latencies = clients.SelectMany(c => c.TakeLatencies()).ToList();
                latencies.Sort();
                all.AddRange(latencies);
                long rss = server.ResidentBytes();
                var (flushes, compactions) = EngineCounters(server);
                result.MaxRssBytes = Math.Max(result.MaxRssBytes, rss);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{clock.Elapsed.TotalSeconds,6:F0} {latencies.Count / interval.Elapsed.TotalSeconds,9:F0} {Percentile(latencies, 0.50),8:F2} {Percentile(latencies, 0.99),8:F2} {(latencies.Count > 0 ? latencies[^1] : 0),8:F1} {rss / 1048576.0,8:F0} {flushes,8} {compactions,8}"));
                result.Flushes = flushes;
                result.Compactions = compactions;
            }
            stop.Cancel();
            foreach (var t in threads) t.Join();
            all.Sort();
            result.Requests = clients.Sum(c => c.Requests);
            result.P99Millis = Percentile(all, 0.99);
            result.Seconds = clock.Elapsed.TotalSeconds;
            result.Failures.AddRange(clients.Select(c => c.Failure).OfType<string>());
        }
        log.WriteLine($"soak: {result}");
        foreach (var f in result.Failures.Take(20)) log.WriteLine("FAILURE " + f);
        if (!options.KeepDataDir) Directory.Delete(options.DataDir, recursive: true);
        return result;
    }

    private static (long Flushes, long Compactions) EngineCounters(ServerProcess server)
    {
        using var c = ServerConnection.Open(server.Port, TimeSpan.FromSeconds(30));
        var info = c.Call("INFO", "tieredkv").TextOf() ?? "";
        long Field(string name) =>
            info.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line ? long.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture) : 0;
        return (Field("lsm_flushes"), Field("lsm_compactions"));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
}
