using System.Text;
using TieredKv.Storage.Format;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Tests;

/// <summary>Damaged files are detected through the database's API and never served as wrong data.</summary>
public sealed class DbCorruptionTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void WalCutAtEveryOffsetOfLastRecord_RecoversEveryEarlierBatch()
    {
        using var source = new TempDirectory();
        long lastRecordStart, fileLength;
        string walName;
        using (var db = Db.Open(source.Path, new DbOptions { WalSync = WalSyncPolicy.Always }))
        {
            for (int i = 0; i < 10; i++) db.Put(B($"k{i}"), B($"value-{i}"));
            walName = Directory.GetFiles(source.Path, "*.wal").Select(Path.GetFileName).Order().Last()!;
            lastRecordStart = new FileInfo(Path.Combine(source.Path, walName)).Length;
            var batch = new WriteBatch();
            batch.Put(B("last-a"), B("A"));
            batch.Put(B("last-b"), B("B"));
            db.Write(batch);
            fileLength = new FileInfo(Path.Combine(source.Path, walName)).Length;
        }

        for (long cut = lastRecordStart; cut < fileLength; cut++)
        {
            using var copy = new TempDirectory();
            foreach (var f in Directory.GetFiles(source.Path)) File.Copy(f, Path.Combine(copy.Path, Path.GetFileName(f)));
            using (var fs = new FileStream(Path.Combine(copy.Path, walName), FileMode.Open)) fs.SetLength(cut);

            using var db = Db.Open(copy.Path);
            for (int i = 0; i < 10; i++) Assert.Equal($"value-{i}", Encoding.ASCII.GetString(db.Get(B($"k{i}"))!));
            // The torn batch is all-or-nothing: here, nothing.
            Assert.Null(db.Get(B("last-a")));
            Assert.Null(db.Get(B("last-b")));
        }
    }

    [Fact]
    public void FlippedBitInWalRecordBeforeTail_FailsOpenNamingFileAndOffset()
    {
        using var dir = new TempDirectory();
        using (var db = Db.Open(dir.Path))
            for (int i = 0; i < 5; i++) db.Put(B($"k{i}"), B($"value-{i}"));
        string wal = Directory.GetFiles(dir.Path, "*.wal").Where(f => new FileInfo(f).Length > 0).Single();
        var bytes = File.ReadAllBytes(wal);
        bytes[12] ^= 0x10; // inside the first record's payload
        File.WriteAllBytes(wal, bytes);

        var e = Assert.Throws<CorruptionException>(() => Db.Open(dir.Path));
        Assert.Equal(wal, e.FileName);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void FlippedBitInWalRecord_IsSkipped_WithSalvageRecovery()
    {
        using var dir = new TempDirectory();
        using (var db = Db.Open(dir.Path))
            for (int i = 0; i < 5; i++) db.Put(B($"k{i}"), B($"value-{i}"));
        string wal = Directory.GetFiles(dir.Path, "*.wal").Where(f => new FileInfo(f).Length > 0).Single();
        var bytes = File.ReadAllBytes(wal);
        bytes[12] ^= 0x10;
        File.WriteAllBytes(wal, bytes);

        using var salvaged = Db.Open(dir.Path, new DbOptions { WalRecovery = WalRecoveryMode.Salvage });
        Assert.Null(salvaged.Get(B("k0")));
        Assert.Equal("value-4", Encoding.ASCII.GetString(salvaged.Get(B("k4"))!));
    }

    [Fact]
    public void FlippedBitInEveryTableBlock_IsDetected_NeverServedAsWrongData()
    {
        using var source = new TempDirectory();
        var expected = new Dictionary<string, string>();
        using (var db = Db.Open(source.Path, new DbOptions { BlockSize = 256, Compression = CompressionType.None }))
        {
            for (int i = 0; i < 200; i++)
            {
                expected[$"key{i:D4}"] = $"value-{i}-{new string('v', i % 17)}";
                db.Put(B($"key{i:D4}"), B(expected[$"key{i:D4}"]));
            }
            db.Flush();
        }
        string table = Directory.GetFiles(source.Path, "*.sst").Single();
        int length = (int)new FileInfo(table).Length;

        for (int offset = 0; offset < length; offset += 11)
        {
            using var copy = new TempDirectory();
            foreach (var f in Directory.GetFiles(source.Path)) File.Copy(f, Path.Combine(copy.Path, Path.GetFileName(f)));
            string damaged = Path.Combine(copy.Path, Path.GetFileName(table));
            var bytes = File.ReadAllBytes(damaged);
            bytes[offset] ^= 0x04;
            File.WriteAllBytes(damaged, bytes);

            using var db = Db.Open(copy.Path);
            foreach (var (key, value) in expected)
            {
                try
                {
                    var actual = db.Get(B(key));
                    Assert.True(actual != null && Encoding.ASCII.GetString(actual) == value, $"flip at {offset}: wrong data for {key}");
                }
                catch (CorruptionException e)
                {
                    Assert.Equal(damaged, e.FileName);
                }
            }
        }
    }
}
