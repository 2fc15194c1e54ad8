using System.Diagnostics;
using System.Text;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;

namespace TieredKv.Storage.Tests;

/// <summary>
/// Power cuts in the strict crash model (<see cref="PowerCutFileSystem"/>: unsynced data dropped, unsynced
/// name changes undone) at file operations throughout a workload with WAL switches, flushes and compactions,
/// and again while the store recovers: the store always opens; under Always no acknowledged write is lost
/// and the batch in flight is wholly present or absent; under EverySec what is lost is the last writes only.
/// </summary>
public sealed class DbPowerCutTests
{
    private const string Dir = "/data/db";

    private static DbOptions Options(IFileSystem fs, WalSyncPolicy sync = WalSyncPolicy.Always, bool background = false) =>
        SmallEngine.Options(fs, sync, background) with { WalSyncInterval = TimeSpan.FromMilliseconds(20) };

    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static string? S(byte[]? b) => b == null ? null : Encoding.ASCII.GetString(b);

    /// <summary>A machine whose data directory's parent exists durably, as a mounted disk's would.</summary>
    private static PowerCutFileSystem NewMachine()
    {
        var fs = new PowerCutFileSystem();
        fs.CreateDirectory("/data");
        fs.SyncDirectory("/");
        return fs;
    }

    /// <summary>What the writers know: acknowledged values (null = deleted) and the batches in flight at a cut, not yet known applied or not.</summary>
    private sealed class Model
    {
        public Dictionary<string, string?> Acknowledged { get; } = [];
        public List<Dictionary<string, string?>> InFlight { get; } = [];
    }

    /// <summary>Batches of one to three puts and deletes over a small key set, with a manual compaction now and then.</summary>
    private static void Workload(Db db, Model model, int seed, int batches, string keyPrefix = "key")
    {
        var rng = new Random(seed);
        for (int i = 0; i < batches; i++)
        {
            var changes = new Dictionary<string, string?>();
            int size = 1 + rng.Next(3);
            while (changes.Count < size)
                changes[$"{keyPrefix}{rng.Next(60):D3}"] = rng.Next(6) == 0 ? null : $"v{seed}-{i}-{new string('x', rng.Next(60))}";
            var batch = new WriteBatch();
            foreach (var (k, v) in changes)
            {
                if (v == null) batch.Delete(B(k));
                else batch.Put(B(k), B(v));
            }
            model.InFlight.Add(changes);
            db.Write(batch);
            foreach (var (k, v) in changes) model.Acknowledged[k] = v;
            model.InFlight.Remove(changes);
            if (i % 151 == 150) db.CompactRange();
        }
    }

    /// <summary>Runs the workload until the power goes off (or it ends).</summary>
    private static void RunUntilCut(PowerCutFileSystem fs, Model model, int seed, int batches, DbOptions options, string keyPrefix = "key")
    {
        try
        {
            var db = Db.Open(Dir, options);
            try { Workload(db, model, seed, batches, keyPrefix); }
            finally
            {
                try { db.Dispose(); } catch (IOException) { /* the machine is off */ }
            }
        }
        catch (IOException) when (fs.PoweredOff) { }
    }

    /// <summary>Every acknowledged write is there; each batch in flight is wholly applied or wholly absent (and is then resolved in the model).</summary>
    private static void AssertHolds(Db db, Model model, string when)
    {
        var inFlightKeys = new HashSet<string>();
        foreach (var batch in model.InFlight)
        {
            bool? applied = null;
            foreach (var (key, newValue) in batch)
            {
                inFlightKeys.Add(key);
                string? old = model.Acknowledged.GetValueOrDefault(key), actual = S(db.Get(B(key)));
                Assert.True(actual == newValue || actual == old, $"{when}: key {key} of a batch in flight is {actual ?? "<absent>"}, neither old {old ?? "<absent>"} nor new {newValue ?? "<absent>"}");
                if (newValue == old) continue;
                Assert.True(applied == null || applied == (actual == newValue), $"{when}: a batch in flight is partly applied");
                applied = actual == newValue;
            }
            if (applied == true)
                foreach (var (k, v) in batch) model.Acknowledged[k] = v;
        }
        model.InFlight.Clear();
        foreach (var (key, expected) in model.Acknowledged)
        {
            if (inFlightKeys.Contains(key)) continue;
            string? actual = S(db.Get(B(key)));
            Assert.True(expected == actual, $"{when}: key {key} is {actual ?? "<absent>"}, acknowledged {expected ?? "<absent>"}");
        }
    }

    private static long CountOperations(int batches)
    {
        var fs = NewMachine();
        using (var db = Db.Open(Dir, Options(fs))) Workload(db, new Model(), seed: 1, batches);
        return fs.Operations;
    }

    [Fact]
    public void PowerCutAtFileOperationsThroughout_Always_NoAcknowledgedWriteLost_AndTheStoreOpens()
    {
        const int batches = 450;
        long total = CountOperations(batches);
        Assert.True(total > 1000, $"the workload should do many file operations, did {total}");
        long step = Math.Max(1, total / 300);
        var offset = new Random(7);
        for (long cutAt = 1 + offset.Next((int)step); cutAt <= total + 1; cutAt += step)
        {
            var fs = NewMachine();
            fs.CutPowerAt(cutAt);
            var model = new Model();
            RunUntilCut(fs, model, seed: 1, batches, Options(fs));
            var rebooted = fs.CutPower();
            using var db = Db.Open(Dir, Options(rebooted));
            AssertHolds(db, model, $"power cut at operation {cutAt} of {total}");
        }
    }

    [Fact]
    public void PowerCutDuringRecovery_Always_TheNextOpenStillHoldsEveryAcknowledgedWrite()
    {
        var random = new Random(11);
        long total = CountOperations(300);
        for (int round = 0; round < 60; round++)
        {
            var fs = NewMachine();
            fs.CutPowerAt(1 + random.NextInt64(total));
            var model = new Model();
            RunUntilCut(fs, model, seed: 1, 300, Options(fs));

            // The restart is itself cut short, at one of its first file operations, after some writes at most.
            var second = fs.CutPower(random.Next(2) == 0 ? new Random(round) : null);
            second.CutPowerAt(1 + random.Next(40));
            RunUntilCut(second, model, seed: 100 + round, 20, Options(second), keyPrefix: "again");

            using var db = Db.Open(Dir, Options(second.CutPower()));
            AssertHolds(db, model, $"round {round}: power cut during recovery at operation {second.Operations}");
        }
    }

    [Fact]
    public void PowerCutAtRandomMoments_WithBackgroundWork_Always_NoAcknowledgedWriteLost()
    {
        var random = new Random(3);
        for (int round = 0; round < 25; round++)
        {
            var fs = NewMachine();
            var model = new Model();
            var writer = new Thread(() => RunUntilCut(fs, model, seed: round, batches: int.MaxValue, Options(fs, background: true)));
            writer.Start();
            Thread.Sleep(random.Next(5, 120));
            // Torn tails too: the disk may have written part of what was not synced.
            var rebooted = fs.CutPower(new Random(round));
            writer.Join();
            using var db = Db.Open(Dir, Options(rebooted));
            AssertHolds(db, model, $"round {round}");
        }
    }

    [Fact]
    public void PowerCutAtRandomMoments_EverySec_LosesOnlyTheLastWrites()
    {
        var random = new Random(5);
        var window = TimeSpan.FromSeconds(1); // the sync interval is 20 ms: a second is the promise, with room for a slow machine
        for (int round = 0; round < 12; round++)
        {
            var fs = NewMachine();
            var acknowledgedAt = new List<long>(); // timestamp of write i's acknowledgement
            var writer = new Thread(() =>
            {
                try
                {
                    using var db = Db.Open(Dir, Options(fs, WalSyncPolicy.EverySec, background: true));
                    for (int i = 0; ; i++)
                    {
                        db.Put(B($"w{i:D7}"), B(new string('v', 40)));
                        lock (acknowledgedAt) acknowledgedAt.Add(Stopwatch.GetTimestamp());
                    }
                }
                catch (IOException) when (fs.PoweredOff) { }
            });
            writer.Start();
            Thread.Sleep(random.Next(100, 400));
            long cutAt = Stopwatch.GetTimestamp();
            var rebooted = fs.CutPower();
            writer.Join();

            using var reopened = Db.Open(Dir, Options(rebooted, WalSyncPolicy.EverySec));
            int survived = 0;
            while (reopened.Get(B($"w{survived:D7}")) != null) survived++;
            // One writer: what survives is a prefix of its writes, with no hole after it.
            for (int i = survived + 1; i < acknowledgedAt.Count + 1; i++)
                Assert.Null(reopened.Get(B($"w{i:D7}")));
            for (int i = survived; i < acknowledgedAt.Count; i++)
            {
                var age = Stopwatch.GetElapsedTime(acknowledgedAt[i], cutAt);
                Assert.True(age <= window, $"round {round}: write {i} was acknowledged {age.TotalMilliseconds:F0} ms before the cut and lost ({survived} of {acknowledgedAt.Count} survived)");
            }
            Assert.True(survived > 0 || acknowledgedAt.Count < 50, $"round {round}: nothing of {acknowledgedAt.Count} writes survived");
        }
    }
}
