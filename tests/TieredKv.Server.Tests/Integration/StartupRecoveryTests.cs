using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Server.Config;
using TieredKv.Server.Hosting;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Integration;

/// <summary>
/// A data directory the engine cannot open as it stands (here: a table the manifest names is missing, as a power
/// cut used to leave it): the server refuses to start with the file named and nothing changed, and
/// <c>tieredkv-recovery salvage</c> starts without what was lost and says what it was.
/// </summary>
public sealed class StartupRecoveryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tkv-startup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>A store whose keys reached tables, with the oldest table then deleted; returns its name.</summary>
    private string StoreWithAMissingTable()
    {
        var engine = new StorageOptions { WriteBufferSize = 4096 };
        using (var store = TieredKvStore.Open(_dir, new TieredKvOptions { Engine = engine }))
        {
            for (int i = 0; i < 300; i++) store[0].Set(Encoding.ASCII.GetBytes($"key{i:D3}"), new byte[100]);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Directory.GetFiles(_dir, "*.sst").Length < 2 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        }
        string oldest = Directory.GetFiles(_dir, "*.sst").Order().First();
        File.Delete(oldest);
        return Path.GetFileName(oldest);
    }

    private Dictionary<string, long> Listing() =>
        Directory.GetFiles(_dir).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);

    private ServerOptions Options() => new() { Port = 0, Dir = _dir, AppendFsync = Storage.WalSyncPolicy.No };

    [Fact]
    public void MissingTable_RefusesToStart_NamingTheTable_AndChangesNothing()
    {
        string missing = StoreWithAMissingTable();
        var before = Listing();
        using var loggers = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(loggers));

        var e = Assert.Throws<StartupException>(() => ServerHost.Start(Options(), factory));

        Assert.Contains($"table {missing} at level", e.Message);
        Assert.Contains("--tieredkv-recovery salvage", e.Message);
        Assert.Contains(loggers.Messages, m => m.Contains(missing, StringComparison.Ordinal));
        Assert.Equal(before, Listing());
    }

    [Fact]
    public async Task MissingTable_FromTheCommandLine_ExitsOneWithoutAnUnhandledException()
    {
        StoreWithAMissingTable();
        int exit = await Program.Main(["--dir", _dir, "--port", "0", "--loglevel", "warning"]);
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task MissingTable_WithSalvageRecovery_StartsWithoutIt_AndLogsWhatWasLost()
    {
        string missing = StoreWithAMissingTable();
        using var loggers = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(loggers));
        var options = Options();
        Program.ApplyArguments(["--tieredkv-recovery", "salvage"], options);

        await using var host = ServerHost.Start(options, factory);
        using var c = new RawClient(host.Port);
        Assert.Equal("+PONG\r\n", Encoding.ASCII.GetString(c.Call("PING")));
        Assert.Contains(loggers.Messages, m => m.Contains($"opening without table {missing}", StringComparison.Ordinal));
    }
}
