using System.Text;
using TieredKv.Storage.Format;

namespace TieredKv.Storage.Tests;

/// <summary>
/// A MANIFEST that names a table which is missing or of the wrong size (what a power cut leaves when a table's
/// name was never made durable): Strict refuses to open naming the table and the edit, and changes nothing;
/// Salvage opens without it and reports exactly what was lost.
/// </summary>
public sealed class DbMissingTableTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    private static DbOptions Options(WalRecoveryMode mode = WalRecoveryMode.Strict) => new() { BackgroundWork = false, WalRecovery = mode };

    /// <summary>Two flushed tables: keys a* in the first, b* in the second, and c* only in the WAL.</summary>
    private static (string First, string Second) TwoTables(string dir)
    {
        using var db = Db.Open(dir, Options());
        for (int i = 0; i < 20; i++) db.Put(B($"a{i:D2}"), B("first"));
        db.Flush();
        for (int i = 0; i < 30; i++) db.Put(B($"b{i:D2}"), B("second"));
        db.Flush();
        db.Put(B("c"), B("wal"));
        var tables = Directory.GetFiles(dir, "*.sst").Order().ToArray();
        Assert.Equal(2, tables.Length);
        return (tables[0], tables[1]);
    }

    private static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir).Where(f => Path.GetFileName(f) != FileNames.Lock)
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Fact]
    public void MissingTable_Strict_RefusesToOpenNamingTheTableAndTheEditThatRecordedIt()
    {
        using var dir = new TempDirectory();
        var (_, second) = TwoTables(dir.Path);
        File.Delete(second);

        var e = Assert.Throws<CorruptionException>(() => Db.Open(dir.Path, Options()));
        Assert.StartsWith("MANIFEST-", Path.GetFileName(e.FileName));
        Assert.True(e.Offset > 0, "the edit that added the second table is not the manifest's first record");
        Assert.Contains($"table {Path.GetFileName(second)} at level 0 is missing", e.Message);
    }

    [Fact]
    public void ShortTable_Strict_RefusesToOpenWithBothSizes()
    {
        using var dir = new TempDirectory();
        var (first, _) = TwoTables(dir.Path);
        long length = new FileInfo(first).Length;
        using (var f = new FileStream(first, FileMode.Open)) f.SetLength(length - 100);

        var e = Assert.Throws<CorruptionException>(() => Db.Open(dir.Path, Options()));
        Assert.Contains($"has {length - 100} bytes, the manifest recorded {length}", e.Message);
    }

    [Fact]
    public void RefusedOpen_LeavesTheDirectoryByteForByteAsItWas()
    {
        using var dir = new TempDirectory();
        var (first, _) = TwoTables(dir.Path);
        File.Delete(first);
        var before = Snapshot(dir.Path);

        for (int attempt = 0; attempt < 3; attempt++)
            Assert.Throws<CorruptionException>(() => Db.Open(dir.Path, Options()));

        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Fact]
    public void MissingTable_Salvage_OpensWithoutIt_AndReportsWhatWasLost()
    {
        using var dir = new TempDirectory();
        var (first, _) = TwoTables(dir.Path);
        File.Delete(first);

        using (var db = Db.Open(dir.Path, Options(WalRecoveryMode.Salvage)))
        {
            var lost = Assert.Single(db.LostTables);
            Assert.Equal(Path.GetFileName(first), lost.FileName);
            Assert.Null(lost.FoundSize);
            Assert.Equal(20, lost.EntryCount);
            Assert.Equal("a00", Encoding.ASCII.GetString(lost.SmallestUserKey));
            Assert.Equal("a19", Encoding.ASCII.GetString(lost.LargestUserKey));
            Assert.Null(db.Get(B("a05")));
            Assert.Equal("second", Encoding.ASCII.GetString(db.Get(B("b05"))!));
            Assert.Equal("wal", Encoding.ASCII.GetString(db.Get(B("c"))!));
        }
        // The salvaged state is recorded: a strict open now succeeds.
        using var again = Db.Open(dir.Path, Options());
        Assert.Empty(again.LostTables);
        Assert.Equal("second", Encoding.ASCII.GetString(again.Get(B("b29"))!));
    }
}
