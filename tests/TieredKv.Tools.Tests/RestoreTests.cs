using TieredKv.Tools.Tests.Harness;

namespace TieredKv.Tools.Tests;

public sealed class RestoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleData _sample = new();

    public void Dispose() => _temp.Dispose();

    private string SampleRdb()
    {
        string rdb = _temp.File("in.rdb");
        _sample.WriteRdb(rdb);
        return rdb;
    }

    /// <summary>The sample file cut short inside its keys.</summary>
    private string TruncatedRdb(out long length)
    {
        var bytes = File.ReadAllBytes(SampleRdb());
        length = bytes.Length / 2;
        string path = _temp.File("truncated.rdb");
        File.WriteAllBytes(path, bytes[..(int)length]);
        return path;
    }

    /// <summary>The sample file with one byte of a value changed: it parses, only the CRC-64 at the end tells.</summary>
    private string BitFlippedRdb()
    {
        var bytes = File.ReadAllBytes(SampleRdb());
        int at = bytes.AsSpan().IndexOf("0123456789"u8) + 3; // inside str:big
        bytes[at] ^= 0x01;
        string path = _temp.File("flipped.rdb");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void OfflineRestore_IntoAnEmptyDirectory_HoldsEveryKeyOfEveryType()
    {
        string dir = _temp.File("data");

        var (exit, output, error) = KvToolRunner.Run("restore", SampleRdb(), "--data-dir", dir);

        Assert.True(exit == 0, output + error);
        Assert.Contains($"restored {_sample.Keys.Count} keys", output);
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromStore(dir));
    }

    [Fact]
    public void OfflineRestore_LeavesOutAKeyThatHasExpired_WithoutCountingItAFailure()
    {
        string rdb = _temp.File("expired.rdb");
        using (var f = File.Create(rdb))
        {
            var w = new TieredKv.Rdb.RdbWriter(f);
            w.SelectDatabase(0, 2, 1);
            w.WriteString("gone"u8, "x"u8, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
            w.WriteString("kept"u8, "y"u8);
            w.Finish();
        }
        string dir = _temp.File("data");

        var (exit, output, _) = KvToolRunner.Run("restore", rdb, "--data-dir", dir);

        Assert.Equal(0, exit);
        Assert.Contains("restored 1 keys", output);
        Assert.Contains("1 already expired or empty, 0 failed", output);
        Assert.Equal(["0:kept"], Keyspaces.FromStore(dir).Keys);
    }

    [Fact]
    public void OfflineRestore_OfAKeyTheStoreHas_FailsItWithoutReplace_AndOverwritesWithIt()
    {
        string dir = _temp.File("data");
        using (var store = TieredKvStore.Open(dir)) store[0].Set("str"u8, "old"u8);
        string rdb = SampleRdb();

        var (exit, output, _) = KvToolRunner.Run("restore", rdb, "--data-dir", dir);

        Assert.Equal(1, exit);
        Assert.Contains("FAILED db 0 key \"str\": the key exists", output);
        Assert.Equal("old", Keyspaces.FromStore(dir)["0:str"].Content);

        Assert.Equal(0, KvToolRunner.Run("restore", rdb, "--data-dir", dir, "--replace").Exit);
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromStore(dir));
    }

    [Fact]
    public void OfflineRestore_OfATruncatedFile_ExitsOne_WithTheOffset_AndCreatesNoStore()
    {
        string dir = _temp.File("data");
        string rdb = TruncatedRdb(out long length);

        var (exit, output, _) = KvToolRunner.Run("restore", rdb, "--data-dir", dir);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {rdb} offset {length}: file ends", output);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void OfflineRestore_OfABitFlippedFile_ExitsOne_NamingTheChecksumOffset_AndCreatesNoStore()
    {
        string dir = _temp.File("data");
        string rdb = BitFlippedRdb();

        var (exit, output, _) = KvToolRunner.Run("restore", rdb, "--data-dir", dir);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {rdb} offset {new FileInfo(rdb).Length - 8}: CRC-64 mismatch", output);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void OfflineRestore_OfAMissingFile_ExitsTwo()
    {
        var (exit, _, error) = KvToolRunner.Run("restore", _temp.File("nope.rdb"), "--data-dir", _temp.File("data"));

        Assert.Equal(2, exit);
        Assert.Contains("no file", error);
    }

    [SkippableFact]
    public void OnlineRestore_IntoRealRedis_HoldsEveryKeyOfEveryType()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();

        var (exit, output, error) = KvToolRunner.Run(["restore", SampleRdb(), .. redis.Arguments]);

        Assert.True(exit == 0, output + error);
        using var c = redis.Connect();
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromServer(c));
    }

    [SkippableFact]
    public void OnlineRestore_OfKeysThatExist_FailsEachWithoutReplace_AndOverwritesWithIt()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = redis.Connect();
        c.CallOrThrow("SET", "str", "old");
        string rdb = SampleRdb();

        var (exit, output, _) = KvToolRunner.Run(["restore", rdb, .. redis.Arguments]);

        Assert.Equal(1, exit);
        Assert.Contains("FAILED db 0 key \"str\": BUSYKEY", output);
        Assert.Contains($"restored {_sample.Keys.Count - 1} keys", output);
        Assert.Equal("old", c.CallOrThrow("GET", "str").ToString());

        Assert.Equal(0, KvToolRunner.Run(["restore", rdb, "--replace", .. redis.Arguments]).Exit);
        Assert.Equal("hello", c.CallOrThrow("GET", "str").ToString());
    }

    [SkippableFact]
    public void OnlineRestore_OfABitFlippedFile_ExitsOne_WithTheOffset_AndSendsNothing()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        string rdb = BitFlippedRdb();

        var (exit, output, _) = KvToolRunner.Run(["restore", rdb, .. redis.Arguments]);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {rdb} offset {new FileInfo(rdb).Length - 8}: CRC-64 mismatch", output);
        using var c = redis.Connect();
        Assert.Empty(Keyspaces.FromServer(c));
    }
}
