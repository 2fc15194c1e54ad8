using TieredKv.Tools.Tests.Harness;

namespace TieredKv.Tools.Tests;

/// <summary>kvtool's online verbs against our own server, run as a separate process.</summary>
public sealed class TieredKvServerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleData _sample = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OnlineDump_OfTieredKvServer_HoldsEveryKeyOfEveryDatabase()
    {
        using var server = new TieredKvServerProcess();
        using (var c = server.Connect()) _sample.WriteServer(c);
        string rdb = _temp.File("online.rdb");

        var (exit, output, error) = KvToolRunner.Run(["dump", rdb, .. server.Arguments]);

        Assert.True(exit == 0, output + error);
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromRdb(rdb), expiryToleranceMs: 5000);
    }

    [Fact]
    public void OnlineRestore_IntoTieredKvServer_HoldsEveryKeyOfEveryType()
    {
        using var server = new TieredKvServerProcess();
        string rdb = _temp.File("in.rdb");
        _sample.WriteRdb(rdb);

        var (exit, output, error) = KvToolRunner.Run(["restore", rdb, .. server.Arguments]);

        Assert.True(exit == 0, output + error);
        using var c = server.Connect();
        Keyspaces.AssertSame(_sample.Expected(), Keyspaces.FromServer(c));
    }

    [Fact]
    public void OfflineDump_OfADirectoryARunningServerHasOpen_ExitsTwo_AndWritesNothing()
    {
        using var server = new TieredKvServerProcess();

        var (exit, _, error) = KvToolRunner.Run("dump", _temp.File("out.rdb"), "--data-dir", server.DataDir);

        Assert.Equal(2, exit);
        Assert.Contains("is another process using this database?", error);
        Assert.False(File.Exists(_temp.File("out.rdb")));
    }
}
