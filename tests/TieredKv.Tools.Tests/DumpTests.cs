using System.Diagnostics;
using TieredKv.Tools.Tests.Harness;

namespace TieredKv.Tools.Tests;

public sealed class DumpTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleData _sample = new();

    public void Dispose() => _temp.Dispose();

    private string StoreWithSample()
    {
        string dir = _temp.File("data");
        _sample.WriteStore(dir);
        return dir;
    }

    [Fact]
    public void OfflineDump_WritesEveryKeyOfEveryTypeWithItsExpiry()
    {
        string rdb = _temp.File("out.rdb");

        var (exit, output, error) = KvToolRunner.Run("dump", rdb, "--data-dir", StoreWithSample());

        Assert.True(exit == 0, output + error);
        Assert.Contains($"dumped {_sample.Keys.Count} keys", output);
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromRdb(rdb));
    }

    [Fact]
    public void OfflineDump_LeavesNoTempFileBehind()
    {
        KvToolRunner.Run("dump", _temp.File("out.rdb"), "--data-dir", StoreWithSample());

        Assert.Equal(["out.rdb"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void OfflineDump_OfADirectoryThatIsNotAStore_ExitsTwo_AndWritesNothing()
    {
        Directory.CreateDirectory(_temp.File("empty"));

        var (exit, _, error) = KvToolRunner.Run("dump", _temp.File("out.rdb"), "--data-dir", _temp.File("empty"));

        Assert.Equal(2, exit);
        Assert.Contains("not a data directory", error);
        Assert.False(File.Exists(_temp.File("out.rdb")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Dump_NeedsExactlyOneSource_ElseExitsTwo(bool both)
    {
        string[] args = both ? ["dump", _temp.File("x.rdb"), "--data-dir", _temp.Path, "--port", "1"] : ["dump", _temp.File("x.rdb")];

        var (exit, _, error) = KvToolRunner.Run(args);

        Assert.Equal(2, exit);
        Assert.Contains("give either --data-dir", error);
    }

    [Fact]
    public void OnlineDump_OfAnUnreachableServer_ExitsTwo_AndWritesNothing()
    {
        var (exit, _, error) = KvToolRunner.Run("dump", _temp.File("out.rdb"), "--port", "1");

        Assert.Equal(2, exit);
        Assert.Contains("cannot connect to 127.0.0.1:1", error);
        Assert.Empty(Directory.GetFiles(_temp.Path));
    }

    [SkippableFact]
    public void OfflineDump_IsAcceptedByRedisCheckRdb()
    {
        string? check = RedisServer.Find("redis-check-rdb");
        Skip.If(check == null, "redis-check-rdb is not installed (apt-get install redis-tools): it judges our files as Redis would");
        string rdb = _temp.File("out.rdb");
        Assert.Equal(0, KvToolRunner.Run("dump", rdb, "--data-dir", StoreWithSample()).Exit);

        using var p = Process.Start(new ProcessStartInfo(check!, rdb) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string report = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();

        Assert.True(p.ExitCode == 0, report);
        Assert.Contains("RDB looks OK", report);
        Assert.Contains($"{_sample.Keys.Count} keys read", report);
    }

    [SkippableFact]
    public void OfflineDump_LoadsInRealRedisWithEveryKey()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string rdb = _temp.File("out.rdb");
        Assert.Equal(0, KvToolRunner.Run("dump", rdb, "--data-dir", StoreWithSample()).Exit);

        using var redis = new RedisServer(rdbToLoad: rdb);
        using var c = redis.Connect();

        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromServer(c));
    }

    [SkippableFact]
    public void OnlineDump_OfRealRedis_HoldsEveryKeyOfEveryDatabase()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using (var c = redis.Connect()) _sample.WriteServer(c);
        string rdb = _temp.File("online.rdb");

        var (exit, output, error) = KvToolRunner.Run(["dump", rdb, .. redis.Arguments]);

        Assert.True(exit == 0, output + error);
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromRdb(rdb), expiryToleranceMs: 5000);
    }

    [SkippableFact]
    public void OnlineDump_AuthenticatesWithThePassword()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(password: "s3cret");
        using (var c = redis.Connect()) c.CallOrThrow("SET", "k", "v");

        Assert.Equal(2, KvToolRunner.Run("dump", _temp.File("noauth.rdb"), "--port", $"{redis.Port}").Exit);
        var (exit, output, error) = KvToolRunner.Run(["dump", _temp.File("auth.rdb"), .. redis.Arguments]);

        Assert.True(exit == 0, output + error);
        Assert.Equal("v", Keyspaces.FromRdb(_temp.File("auth.rdb"))["0:k"].Content);
        Assert.False(File.Exists(_temp.File("noauth.rdb")));
    }

    [SkippableFact]
    public void OnlineDump_OfRealRedis_RestoredIntoADataDirectory_HasTheSameKeys()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using (var c = redis.Connect()) _sample.WriteServer(c);
        string rdb = _temp.File("online.rdb");
        Assert.Equal(0, KvToolRunner.Run(["dump", rdb, .. redis.Arguments]).Exit);

        var (exit, output, error) = KvToolRunner.Run("restore", rdb, "--data-dir", _temp.File("data"));

        Assert.True(exit == 0, output + error);
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromStore(_temp.File("data")), expiryToleranceMs: 5000);
    }
}
