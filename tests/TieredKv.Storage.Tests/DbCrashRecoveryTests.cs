using System.Text;

using TieredKv.Storage.Tests.IO;

namespace TieredKv.Storage.Tests;

/// <summary>
/// A process crash at every file operation of a workload with flushes and compactions: after a
/// restart every acknowledged write is present, nothing deleted comes back, and the write that was
/// in flight is either wholly present or wholly absent.
/// </summary>
public sealed class DbCrashRecoveryTests
{
    private static DbOptions Options(Storage.IO.IFileSystem fs) => SmallEngine.Options(fs);

    [Fact]
    public void CrashAtEveryFileOperation_LosesNoAcknowledgedWrite()
    {
        int total = CountOperations();
        Assert.True(total > 100, $"workload should do many file operations, did {total}");
        int step = Math.Max(1, total / 150);
        for (int crashAt = 1; crashAt <= total; crashAt += step)
            CrashAndVerify(crashAt);
    }

    private static int CountOperations()
    {
        using var dir = new TempDirectory();
        var fs = new CrashingFileSystem(int.MaxValue);
        using (var db = Db.Open(dir.Path, Options(fs))) Workload(db, new Dictionary<string, string?>(), out _);
        return fs.Operations;
    }

    private static void CrashAndVerify(int crashAt)
    {
        using var dir = new TempDirectory();
        var fs = new CrashingFileSystem(crashAt);
        var acknowledged = new Dictionary<string, string?>();
        (string Key, string? Value)? inFlight = null;
        try
        {
            var db = Db.Open(dir.Path, Options(fs));
            try { Workload(db, acknowledged, out inFlight); }
            finally
            {
                try { db.Dispose(); } catch (IOException) { /* the process is dead anyway */ }
            }
        }
        catch (IOException) when (fs.Crashed) { }

        if (!System.IO.File.Exists(Path.Combine(dir.Path, "CURRENT"))) return; // crashed before the database existed
        using var reopened = Db.Open(dir.Path, Options(new Storage.IO.LocalFileSystem()));
        foreach (var (key, value) in acknowledged)
        {
            string? actual = Str(reopened.Get(Encoding.ASCII.GetBytes(key)));
            if (inFlight is { } f && f.Key == key && actual == f.Value) continue;
            Assert.True(value == actual, $"crash at operation {crashAt}: key {key} expected {value ?? "<absent>"} got {actual ?? "<absent>"}");
        }
    }

    /// <summary>Puts and deletes over a small key set, with flushes and compactions along the way.</summary>
    private static void Workload(Db db, Dictionary<string, string?> acknowledged, out (string, string?)? inFlight)
    {
        var rng = new Random(42);
        inFlight = null;
        for (int i = 0; i < 600; i++)
        {
            string key = $"key{rng.Next(80):D3}";
            string? value = rng.Next(5) == 0 ? null : $"value-{i}-{new string('x', rng.Next(50))}";
            inFlight = (key, value);
            if (value == null) db.Delete(Encoding.ASCII.GetBytes(key));
            else db.Put(Encoding.ASCII.GetBytes(key), Encoding.ASCII.GetBytes(value));
            acknowledged[key] = value;
            inFlight = null;
            if (i % 97 == 96) db.CompactRange();
        }
    }

    private static string? Str(byte[]? b) => b == null ? null : Encoding.ASCII.GetString(b);
}
