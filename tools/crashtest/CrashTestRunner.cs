using System.Diagnostics;

namespace TieredKv.CrashTest;

/// <summary>
/// The kill -9 torture: start the server on one data directory, let writers run, SIGKILL it at a
/// random moment, restart, check every writer's keys against its model, and again, cycle after cycle.
/// Stops at the first violation (what follows it would be checked against an unknown state).
/// </summary>
internal sealed class CrashTestRunner(CrashTestOptions options, TextWriter log)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public CrashTestResult Run()
    {
        var random = new Random(options.Seed);
        var writers = Enumerable.Range(0, options.Writers)
            .Select(i => new Writer(i, options.KeysPerKind, options.MaxPipeline, random.Next())).ToArray();
        var result = new CrashTestResult();
        TimeSpan? lossWindow = options.Fsync == "always" ? null : TimeSpan.FromSeconds(options.LossWindowSeconds);
        Directory.CreateDirectory(options.DataDir);
        log.WriteLine($"crashtest: seed {options.Seed}, fsync {options.Fsync}, {options.Cycles} cycles of up to {options.SecondsPerCycle} s, {options.Writers} writers, data in {options.DataDir}");
        long killedAt = 0;
        for (int cycle = 0; cycle <= options.Cycles; cycle++)
        {
            if (cycle > 0 && random.NextDouble() < options.RecoveryKillChance) KillDuringStart(random, result);
            using var server = StartServer();
            if (cycle > 0 && !CheckRecovery(server, writers, killedAt, lossWindow, result, cycle)) break;
            if (cycle == options.Cycles)
            {
                server.KillHard();
                break;
            }
            killedAt = RunUntilKilled(server, writers, random, result);
            foreach (var w in writers)
                if (w.ReplyMismatch != null) result.Violations.Add($"cycle {cycle + 1}: {w.ReplyMismatch}");
            if (result.Violations.Count > 0) break;
            result.Cycles++;
            if (result.Cycles % 10 == 0) log.WriteLine($"  after {result.Cycles} cycles: {result}");
        }
        if (result.Violations.Count == 0) VerifyStore(result);
        log.WriteLine($"crashtest: {result}");
        foreach (var v in result.Violations) log.WriteLine("VIOLATION " + v);
        if (!options.KeepDataDir && result.Violations.Count == 0) Directory.Delete(options.DataDir, recursive: true);
        return result;
    }

    /// <summary>
    /// A kill while the server starts: in the runtime's start, in WAL replay, or while recovery flushes and
    /// rewrites the manifest. Recovery must survive its own crash: the next start checks the same writes.
    /// </summary>
    private void KillDuringStart(Random random, CrashTestResult result)
    {
        string before = DirectoryListing();
        using var server = StartServer(TimeSpan.Zero);
        Thread.Sleep(random.Next(50, 600));
        server.KillHard();
        result.KillsDuringStart++;
        // Files changed: the kill came after recovery had begun writing (not in the runtime's own start).
        if (DirectoryListing() != before) result.KillsDuringRecovery++;
    }

    private string DirectoryListing() => string.Join('\n',
        new DirectoryInfo(options.DataDir).GetFiles().OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name} {f.Length}"));

    private ServerProcess StartServer(TimeSpan? timeout = null) => ServerProcess.Start(options.ServerDll, options.DataDir,
    [
        "--appendfsync", options.Fsync, "--loglevel", "warning",
        "--tieredkv-write-buffer-size", options.WriteBufferSize,
        "--tieredkv-level-base-size", options.LevelBaseSize,
        "--tieredkv-target-file-size", options.TargetFileSize,
    ], timeout ?? StartTimeout);

    /// <summary>Runs the writers for a random time, samples the engine's counters, then SIGKILLs the server; returns the kill's timestamp.</summary>
    private long RunUntilKilled(ServerProcess server, Writer[] writers, Random random, CrashTestResult result)
    {
        using var stop = new CancellationTokenSource();
        var threads = writers.Select(w => new Thread(() => w.Run(server.Port, stop.Token)) { IsBackground = true }).ToList();
        var saver = options.BgsaveIntervalMs > 0 ? new BackgroundSaver(TimeSpan.FromMilliseconds(options.BgsaveIntervalMs)) : null;
        if (saver != null) threads.Add(new Thread(() => saver.Run(server.Port, stop.Token)) { IsBackground = true });
        foreach (var t in threads) t.Start();
        Thread.Sleep(TimeSpan.FromSeconds(0.1 + random.NextDouble() * Math.Max(0, options.SecondsPerCycle - 0.1)));
        SampleEngine(server, result);
        long killedAt = Stopwatch.GetTimestamp();
        server.KillHard();
        stop.Cancel();
        foreach (var t in threads) t.Join();
        result.BgsavesStarted += saver?.Started ?? 0;
        return killedAt;
    }

    private static void SampleEngine(ServerProcess server, CrashTestResult result)
    {
        using var c = new RespConnection(server.Port, TimeSpan.FromSeconds(30));
        var info = c.Call("INFO", "tieredkv").Text ?? "";
        long Field(string name) =>
            info.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line ? long.Parse(line[(name.Length + 1)..]) : 0;
        result.Flushes += Field("lsm_flushes");
        result.Compactions += Field("lsm_compactions");
        if (Field("lsm_immutable_memtables") > 0) result.KillsWithFlushPending++;
        if (c.Call("INFO", "persistence").Text?.Contains("rdb_bgsave_in_progress:1", StringComparison.Ordinal) == true) result.KillsDuringBgsave++;
        if (Field("lsm_background_errors") > 0) result.Violations.Add($"the engine reported background errors: {info}");
    }

    private bool CheckRecovery(ServerProcess server, Writer[] writers, long killedAt, TimeSpan? lossWindow, CrashTestResult result, int cycle)
    {
        using var c = new RespConnection(server.Port, TimeSpan.FromSeconds(60));
        foreach (var w in writers)
        {
            var check = w.Verify(ActualState.Read(c, w.Keys), killedAt, lossWindow);
            result.AcknowledgedChecked += check.Acknowledged;
            result.InFlight += check.Sent - check.Acknowledged;
            result.InFlightApplied += check.InFlightApplied;
            result.LostAcknowledged += check.LostAcknowledged;
            result.MaxLostMillis = Math.Max(result.MaxLostMillis, check.LostMillis);
            if (check.Violation != null) result.Violations.Add($"after kill {cycle}: {check.Violation}\nserver log:\n{Tail(server.Output)}");
        }
        CheckSnapshotFile(result, cycle);
        // The key count is kept as deltas beside the keys: it must come back exact too.
        long dbsize = c.Call("DBSIZE").Integer, expected = writers.Sum(w => w.RecoveredKeyCount);
        if (result.Violations.Count == 0 && dbsize != expected)
            result.Violations.Add($"after kill {cycle}: DBSIZE is {dbsize} but the writers' recovered keys number {expected}");
        return result.Violations.Count == 0;
    }

    /// <summary>
    /// BGSAVE writes a temp file and renames it: whatever moment the kill came, dump.rdb is absent or a
    /// whole file whose every key and checksum reads.
    /// </summary>
    private void CheckSnapshotFile(CrashTestResult result, int cycle)
    {
        // The restarted server removes what a killed save left; no save of its own has started yet.
        foreach (string leftover in Directory.GetFiles(options.DataDir, "temp-*.rdb"))
            result.Violations.Add($"after kill {cycle}: the restarted server left {Path.GetFileName(leftover)} behind");
        string path = Path.Combine(options.DataDir, "dump.rdb");
        if (!File.Exists(path)) return;
        try
        {
            using var file = File.OpenRead(path);
            new Rdb.RdbReader(file).ReadToEnd();
            result.RdbFilesChecked++;
        }
        catch (Exception e) when (e is Rdb.Format.RdbFormatException or IOException)
        {
            result.Violations.Add($"after kill {cycle}: dump.rdb is damaged: {e.Message}");
        }
    }

    /// <summary>The checks of `kvtool verify` on the directory as the last kill left it, then a full read through the engine.</summary>
    private void VerifyStore(CrashTestResult result)
    {
        try
        {
            var report = Storage.Inspection.Verifier.VerifyDirectory(options.DataDir);
            foreach (var c in report.Corruptions) result.Violations.Add($"kvtool verify: {c}");
            result.TornTailsAtEnd = report.TornTails.Count;
            result.StoreEntries = StoreVerifier.CountEntries(options.DataDir);
        }
        catch (IOException e)
        {
            result.Violations.Add($"the data directory fails the engine's checks: {e.Message}");
        }
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
