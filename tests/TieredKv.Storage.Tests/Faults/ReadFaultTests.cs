using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using static TieredKv.Storage.Tests.Faults.FaultTestSupport;

namespace TieredKv.Storage.Tests.Faults;

/// <summary>Failing or corrupted table reads surface as errors naming the file, never as wrong data, and other tables keep serving.</summary>
public sealed class ReadFaultTests
{
    /// <summary>Two tables with disjoint keys (a… in the first, b… in the second); returns the first table's file name.</summary>
    private static string MakeTwoTables(string directory)
    {
        using var db = Db.Open(directory, new DbOptions { WalSync = WalSyncPolicy.No, L0CompactionTrigger = 100 });
        for (int i = 0; i < 200; i++) db.Put(B($"a{i:D4}"), B($"A{i}"));
        db.Flush();
        string first = Path.GetFileName(Directory.GetFiles(directory, "*.sst").Single());
        for (int i = 0; i < 200; i++) db.Put(B($"b{i:D4}"), B($"B{i}"));
        db.Flush();
        return first;
    }

    [Fact]
    public void ReadErrorOnOneTable_GetThrowsIOException_OtherTableServes_AndHealsWithoutReopen()
    {
        using var dir = new TempDirectory();
        string bad = MakeTwoTables(dir.Path);
        var fs = new FaultInjectingFileSystem();
        var rule = fs.Add(new FaultRule { Operation = FaultOperation.Read, NameContains = bad, Message = "Input/output error" });
        using var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs });

        var e = Assert.Throws<IOException>(() => db.Get(B("a0005")));
        Assert.Contains("Input/output error", e.Message);
        Assert.Equal("B5", S(db.Get(B("b0005"))));

        fs.Remove(rule);
        Assert.Equal("A5", S(db.Get(B("a0005"))));
    }

    [Fact]
    public void CorruptedBlockOnGet_ThrowsCorruptionNamingFileAndBlockOffset_NeverAWrongValue()
    {
        using var dir = new TempDirectory();
        string bad = MakeTwoTables(dir.Path);
        var fs = new FaultInjectingFileSystem();
        // Byte 10 lies in the first data block, which starts at offset 0 and holds the first keys.
        var rule = fs.Add(new FaultRule { Operation = FaultOperation.Read, NameContains = bad, CorruptInsteadOfThrow = true, CorruptFileOffset = 10 });
        using var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs });

        var e = Assert.Throws<CorruptionException>(() => db.Get(B("a0000")));
        Assert.Equal(bad, Path.GetFileName(e.FileName));
        Assert.Equal(0, e.Offset);
        Assert.Equal("B0", S(db.Get(B("b0000"))));

        // A damaged read is never cached: once reads are healthy the value is right.
        fs.Remove(rule);
        Assert.Equal("A0", S(db.Get(B("a0000"))));
    }

    [Fact]
    public void CorruptedBlockDuringIteration_ThrowsCorruption_AfterOnlyCorrectEntries()
    {
        using var dir = new TempDirectory();
        string bad = MakeTwoTables(dir.Path);
        var fs = new FaultInjectingFileSystem();
        fs.Add(new FaultRule { Operation = FaultOperation.Read, NameContains = bad, CorruptInsteadOfThrow = true, CorruptFileOffset = 10 });
        using var db = Db.Open(dir.Path, new DbOptions { FileSystem = fs });

        int seen = 0;
        var e = Assert.Throws<CorruptionException>(() =>
        {
            using var it = db.NewIterator();
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                string key = S(it.Key.ToArray());
                Assert.Equal(key.Replace("a", "A").Replace("b", "B").TrimStart('A', 'B').TrimStart('0') is var n && n.Length == 0 ? key[..1].ToUpperInvariant() + "0" : key[..1].ToUpperInvariant() + int.Parse(key[1..]), S(it.Value.ToArray()));
                seen++;
            }
        });
        Assert.Equal(bad, Path.GetFileName(e.FileName));

        // The b… keys live in the other table, which still iterates.
        using var it2 = db.NewIterator();
        int bs = 0;
        for (it2.Seek(B("b")); it2.Valid; it2.Next()) { Assert.Equal("B" + int.Parse(S(it2.Key.ToArray())[1..]), S(it2.Value.ToArray())); bs++; }
        Assert.Equal(200, bs);
        _ = seen;
    }
}
