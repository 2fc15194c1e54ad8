using System.Diagnostics;

namespace TieredKv.CrashTest;

/// <summary>
/// The crash torture: start the server on one data directory, let writers run, crash it at a random moment
/// (kill -9, or a power cut on powercut_fs), restart, check every writer's keys against its model, and again,
/// cycle after cycle. A kill -9 run stops at the first violation (what follows it would be checked against an
/// unknown state); a power-cut run counts lost acknowledged writes and goes on while the recovered state is
/// still a prefix of each writer's commands, and stops at a state that is none, or a restart that fails.
/// </summary>
internal sealed class CrashTestRunner(CrashTestOptions options, TextWriter log)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly ServerTarget _target = new(options);

    public CrashTestResult Run()
    {
        var random = new Random(options.Seed);
        var writers = Enumerable.Range(0, options.Writers)
            .Select(i => new Writer(i, options.KeysPerKind, options.MaxPipeline, random.Next())).ToArray();
        var result = new CrashTestResult();
        TimeSpan? lossWindow = options.Fsync == "always" ? null : TimeSpan.FromSeconds(options.LossWindowSeconds);
        string mode = options.PowerCut ? "power cuts" : "kill -9";
        log.WriteLine($"crashtest: {mode} against {options.Target}, seed {options.Seed}, fsync {options.Fsync}, {options.Cycles} cycles of {options.MinCycleSeconds:0.##} to {options.SecondsPerCycle} s, {options.Writers} writers, data in {options.DataDir}");
        using (ICrashMethod crash = options.PowerCut ? new PowerCut.PowerCutCrash(options.DataDir, options.PreCreateDir) : new KillNine(options.DataDir))
        {
            crash.Prepare();
            RunCycles(crash, writers, random, lossWindow, result);
        }
        log.WriteLine($"crashtest: {result}");
        foreach (var v in result.Violations) log.WriteLine("VIOLATION " + v);
        if (!options.KeepDataDir && result.Violations.Count == 0) Directory.Delete(options.DataDir, recursive: true);
        return result;
    }

    private void RunCycles(ICrashMethod crash, Writer[] writers, Random random, TimeSpan? lossWindow, CrashTestResult result)
    {
        long killedAt = 0;
        for (int cycle = 0; cycle <= options.Cycles; cycle++)
        {
            if (cycle > 0 && random.NextDouble() < options.RecoveryKillChance) KillDuringStart(crash, random, result);
            using var server = StartServer(crash, result, cycle);
            if (server == null) return;
            if (cycle > 0 && !CheckRecovery(crash, server, writers, killedAt, lossWindow, result, cycle)) return;
            if (cycle == options.Cycles)
            {
                crash.Crash(server);
                break;
            }
            killedAt = RunUntilKilled(crash, server, writers, random, result);
            foreach (var w in writers)
                if (w.ReplyMismatch != null) result.Violations.Add($"cycle {cycle + 1}: {w.ReplyMismatch}");
            if (writers.Any(w => w.ReplyMismatch != null)) return;
            result.Cycles++;
            if (result.Cycles % 10 == 0) log.WriteLine($"  after {result.Cycles} cycles: {result}");
        }
        if (result.Violations.Count == 0 && _target.IsTieredKv) VerifyStore(crash.DataDir, result);
    }

    /// <summary>Starts the server; a start that fails after a crash is counted and reported with the server's log, and ends the run.</summary>
    private ServerProcess? StartServer(ICrashMethod crash, CrashTestResult result, int cycle)
    {
        try
        {
            return _target.Start(crash.DataDir, StartTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            result.FailedRestarts++;
            result.Violations.Add($"{(cycle == 0 ? "the first start" : $"the restart after {crash.Verb} {cycle}")} failed: {Tail(e.Message)}\n{crash.Diagnostics}");
            return null;
        }
    }

    /// <summary>
    /// A crash while the server starts: in the runtime's start, in WAL replay, or while recovery flushes and
    /// rewrites the manifest. Recovery must survive its own crash: the next start checks the same writes.
    /// </summary>
    private void KillDuringStart(ICrashMethod crash, Random random, CrashTestResult result)
    {
        string before = DirectoryListing(crash.DataDir);
        using var server = _target.Start(crash.DataDir, TimeSpan.Zero);
        Thread.Sleep(random.Next(50, 600));
        crash.Crash(server);
        result.KillsDuringStart++;
        // Files changed: the crash came after recovery had begun writing (not in the runtime's own start).
        if (DirectoryListing(crash.DataDir) != before) result.KillsDuringRecovery++;
    }

    private static string DirectoryListing(string dataDir) => string.Join('\n',
        new DirectoryInfo(dataDir).GetFiles("*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dataDir, f.FullName)} {f.Length}").Order(StringComparer.Ordinal));

    /// <summary>Runs the writers for a random time, samples the engine's counters, then SIGKILLs the server; returns the kill's timestamp.</summary>
    private long RunUntilKilled(ICrashMethod crash, ServerProcess server, Writer[] writers, Random random, CrashTestResult result)
    {
        using var stop = new CancellationTokenSource();
        var threads = writers.Select(w => new Thread(() => w.Run(server.Port, stop.Token)) { IsBackground = true }).ToList();
        var saver = options.BgsaveIntervalMs > 0 && _target.IsTieredKv ? new BackgroundSaver(TimeSpan.FromMilliseconds(options.BgsaveIntervalMs)) : null;
        if (saver != null) threads.Add(new Thread(() => saver.Run(server.Port, stop.Token)) { IsBackground = true });
        foreach (var t in threads) t.Start();
        Thread.Sleep(TimeSpan.FromSeconds(options.MinCycleSeconds + random.NextDouble() * Math.Max(0, options.SecondsPerCycle - options.MinCycleSeconds)));
        if (_target.IsTieredKv) SampleEngine(server, result);
        long killedAt = Stopwatch.GetTimestamp();
        crash.Crash(server);
        stop.Cancel();
        foreach (var t in threads) t.Join();
        result.BgsavesStarted += saver?.Started ?? 0;
        return killedAt;
    }

    private static void SampleEngine(ServerProcess server, CrashTestResult result)
    {
        using var c = ServerConnection.Open(server.Port, TimeSpan.FromSeconds(30));
        var info = c.Call("INFO", "tieredkv").TextOf() ?? "";
        long Field(string name) =>
            info.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) is { } line ? long.Parse(line[(name.Length + 1)..]) : 0;
        result.Flushes += Field("lsm_flushes");
        result.Compactions += Field("lsm_compactions");
        if (Field("lsm_immutable_memtables") > 0) result.KillsWithFlushPending++;
        if (c.Call("INFO", "persistence").TextOf()?.Contains("rdb_bgsave_in_progress:1", StringComparison.Ordinal) == true) result.KillsDuringBgsave++;
        if (Field("lsm_background_errors") > 0) result.Violations.Add($"the engine reported background errors: {info}");
    }

    /// <summary>Checks every writer's keys after a restart; false when the run cannot go on (see the class summary).</summary>
    private bool CheckRecovery(ICrashMethod crash, ServerProcess server, Writer[] writers, long killedAt, TimeSpan? lossWindow, CrashTestResult result, int cycle)
    {
        using var c = ServerConnection.Open(server.Port, TimeSpan.FromSeconds(60));
        int violationsBefore = result.Violations.Count;
        bool allPrefixes = true;
        long lostHere = 0;
        foreach (var w in writers)
        {
            var check = w.Verify(ActualState.Read(c, w.Keys), killedAt, lossWindow);
            result.AcknowledgedChecked += check.Acknowledged;
            result.InFlight += check.Sent - check.Acknowledged;
            result.InFlightApplied += check.InFlightApplied;
            lostHere += check.LostAcknowledged;
            result.MaxLostMillis = Math.Max(result.MaxLostMillis, check.LostMillis);
            allPrefixes &= check.IsPrefix;
            if (check.Violation != null) result.Violations.Add($"after {crash.Verb} {cycle}: {check.Violation}\nserver log:\n{Tail(server.Output)}");
        }
        result.LostAcknowledged += lostHere;
        if (lostHere > 0) result.RestartsWithLoss++;
        if (_target.IsTieredKv) CheckSnapshotFile(crash.DataDir, result, cycle);
        // The key count is kept as deltas beside the keys: it must come back exact too.
        long dbsize = c.Call("DBSIZE").Integer, expected = writers.Sum(w => w.RecoveredKeyCount);
        if (allPrefixes && dbsize != expected)
        {
            result.Violations.Add($"after {crash.Verb} {cycle}: DBSIZE is {dbsize} but the writers' recovered keys number {expected}");
            allPrefixes = false;
        }
        // A power-cut run goes on after losses it could count; a state that is no prefix leaves nothing to check against.
        return result.Violations.Count == violationsBefore || (options.PowerCut && allPrefixes);
    }

    /// <summary>
    /// BGSAVE writes a temp file and renames it: whatever moment the kill came, dump.rdb is absent or a
    /// whole file whose every key and checksum reads.
    /// </summary>
    private static void CheckSnapshotFile(string dataDir, CrashTestResult result, int cycle)
    {
        // The restarted server removes what a killed save left; no save of its own has started yet.
        foreach (string leftover in Directory.GetFiles(dataDir, "temp-*.rdb"))
            result.Violations.Add($"after crash {cycle}: the restarted server left {Path.GetFileName(leftover)} behind");
        string path = Path.Combine(dataDir, "dump.rdb");
        if (!File.Exists(path)) return;
        try
        {
            using var file = File.OpenRead(path);
            new Rdb.RdbReader(file).ReadToEnd();
            result.RdbFilesChecked++;
        }
        catch (Exception e) when (e is Rdb.Format.RdbFormatException or IOException)
        {
            result.Violations.Add($"after crash {cycle}: dump.rdb is damaged: {e.Message}");
        }
    }

    /// <summary>The checks of `kvtool verify` on the directory as the last kill left it, then a full read through the engine.</summary>
    private static void VerifyStore(string dataDir, CrashTestResult result)
    {
        try
        {
            var report = Storage.Inspection.Verifier.VerifyDirectory(dataDir);
            foreach (var c in report.Corruptions) result.Violations.Add($"kvtool verify: {c}");
            result.TornTailsAtEnd = report.TornTails.Count;
            result.StoreEntries = StoreVerifier.CountEntries(dataDir);
        }
        catch (IOException e)
        {
            result.Violations.Add($"the data directory fails the engine's checks: {e.Message}");
        }
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
