using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Rdb;
using TieredKv.Server.Config;
using TieredKv.Server.Hosting;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Integration;

/// <summary>tieredkv-import-rdb: an RDB file loaded at start into an empty store, and the refusals.</summary>
public sealed class StartupImportTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tkv-import-" + Guid.NewGuid().ToString("N"));

    public StartupImportTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }

    private string DataDir => Path.Combine(_root, "data");

    private string WriteRdb()
    {
        string path = Path.Combine(_root, "in.rdb");
        using var f = File.Create(path);
        var w = new RdbWriter(f);
        w.SelectDatabase(0, 2, 1);
        w.WriteString("greeting"u8, "hello"u8, DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds());
        w.BeginList("list"u8, 2);
        w.AddListItem("a"u8);
        w.AddListItem("b"u8);
        w.SelectDatabase(2, 1, 0);
        w.BeginHash("h"u8, 1);
        w.AddHashField("f"u8, "v"u8);
        w.Finish();
        return path;
    }

    private ServerOptions Options(string rdb) => new() { Port = 0, Dir = DataDir, AppendFsync = Storage.WalSyncPolicy.No, ImportRdb = rdb };

    private static string Reply(RawClient c, params string[] args) => Encoding.UTF8.GetString(c.Call(args));

    [Fact]
    public async Task Import_rdb_loads_every_database_into_an_empty_store()
    {
        var options = Options(WriteRdb());
        using var loggers = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(loggers));
        await using var host = ServerHost.Start(options, factory);
        using var c = new RawClient(host.Port);
        Assert.Equal("$5\r\nhello\r\n", Reply(c, "GET", "greeting"));
        Assert.Matches(@"^:(3[0-9]{6})\r\n$", Reply(c, "PTTL", "greeting")); // about an hour
        Assert.Equal("*2\r\n$1\r\na\r\n$1\r\nb\r\n", Reply(c, "LRANGE", "list", "0", "-1"));
        Reply(c, "SELECT", "2");
        Assert.Equal("$1\r\nv\r\n", Reply(c, "HGET", "h", "f"));
        Assert.Contains(loggers.Messages, m => m.Contains("imported 3 keys", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_rdb_is_a_startup_only_setting_parsed_from_the_command_line()
    {
        var options = new ServerOptions();
        Program.ApplyArguments(["--tieredkv-import-rdb", "/backups/dump.rdb"], options);

        Assert.Equal("/backups/dump.rdb", options.ImportRdb);
        Assert.True(ServerOptions.IsStartupOnly("tieredkv-import-rdb"));
    }

    [Fact]
    public void Import_rdb_refuses_to_start_on_a_store_that_has_keys_and_leaves_it_unchanged()
    {
        using (var store = TieredKvStore.Open(DataDir)) store[5].Set("existing"u8, "1"u8);
        using var loggers = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(loggers));

        var e = Assert.Throws<StartupException>(() => ServerHost.Start(Options(WriteRdb()), factory));

        Assert.Contains("database 5 has 1 keys", e.Message);
        Assert.Contains(loggers.Messages, m => m.StartsWith("Error: not importing", StringComparison.Ordinal));
        using var reopened = TieredKvStore.Open(DataDir);
        Assert.Equal(0, reopened[0].DbSize());
        Assert.Equal(1, reopened[5].DbSize());
    }

    [Fact]
    public void Import_rdb_refuses_a_damaged_file_naming_the_offset_and_imports_nothing()
    {
        string rdb = WriteRdb();
        var bytes = File.ReadAllBytes(rdb);
        bytes[^12] ^= 0x40; // inside the last value: only the CRC-64 at the end can tell
        File.WriteAllBytes(rdb, bytes);

        var e = Assert.Throws<StartupException>(() => ServerHost.Start(Options(rdb), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));

        Assert.Matches("damaged at byte offset [0-9]+: CRC-64 mismatch", e.Message);
        using var reopened = TieredKvStore.Open(DataDir);
        Assert.All(Enumerable.Range(0, reopened.DatabaseCount), db => Assert.Equal(0, reopened[db].DbSize()));
    }
}
