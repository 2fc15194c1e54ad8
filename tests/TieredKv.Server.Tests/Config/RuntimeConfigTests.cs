using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Config;

/// <summary>CONFIG SET of maxmemory, appendfsync and loglevel changes what the running server does, not only what CONFIG GET shows.</summary>
public sealed class RuntimeConfigTests
{
    private static long InfoField(RawClient client, string section, string name)
    {
        string info = Encoding.UTF8.GetString(client.Call("INFO", section));
        var line = info.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
    }

    private static string InfoText(RawClient client, string section, string name)
    {
        string info = Encoding.UTF8.GetString(client.Call("INFO", section));
        return info.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..];
    }

    [Fact]
    public void AppendFsyncAlways_FsyncsEveryWriteFromThenOn()
    {
        using var server = new TieredKvServer(); // started with appendfsync no
        using var client = new RawClient(server.Port);
        client.Call("SET", "before", "1");
        long syncsUnderNo = InfoField(client, "persistence", "wal_syncs");
        client.Call("SET", "before", "2");
        Assert.Equal(syncsUnderNo, InfoField(client, "persistence", "wal_syncs"));

        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(client.Call("CONFIG", "SET", "appendfsync", "always")));
        Assert.Equal("always", InfoText(client, "persistence", "appendfsync"));
        // The switch itself fsynced what "no" had left in the OS's cache.
        long afterSwitch = InfoField(client, "persistence", "wal_syncs");
        Assert.True(afterSwitch > syncsUnderNo, $"switching to always fsynced nothing ({afterSwitch} syncs)");
        client.Call("SET", "after", "1");
        client.Call("SET", "after", "2");
        Assert.True(InfoField(client, "persistence", "wal_syncs") >= afterSwitch + 2, "writes under always were not fsynced each");
    }

    [Fact]
    public void AppendFsyncNo_AfterAlways_StopsFsyncingWrites()
    {
        using var server = new TieredKvServer(o => o.AppendFsync = Storage.WalSyncPolicy.Always);
        using var client = new RawClient(server.Port);
        client.Call("SET", "k", "1");
        Assert.True(InfoField(client, "persistence", "wal_syncs") >= 1);
        client.Call("CONFIG", "SET", "appendfsync", "no");
        long syncs = InfoField(client, "persistence", "wal_syncs");
        for (int i = 0; i < 5; i++) client.Call("SET", "k", i.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(syncs, InfoField(client, "persistence", "wal_syncs"));
        Assert.Equal("$1\r\n4\r\n", Encoding.UTF8.GetString(client.Call("GET", "k")));
    }

    [Fact]
    public void MaxMemoryShrink_DemotesHotKeysUnderTheNewBudget()
    {
        using var server = new TieredKvServer(o => o.MaxMemory = 64L << 20);
        using var client = new RawClient(server.Port);
        string value = new('v', 200);
        for (int i = 0; i < 500; i++) client.Call("SET", $"key:{i}", value);
        long hot = InfoField(client, "tieredkv", "hot_bytes");
        Assert.True(hot > 50_000, $"only {hot} hot bytes after 500 writes");

        client.Call("CONFIG", "SET", "maxmemory", "20kb");
        Assert.InRange(InfoField(client, "tieredkv", "hot_bytes"), 0, 20 * 1024);
        Assert.True(InfoField(client, "tieredkv", "demotions") > 0);
        Assert.Equal(20 * 1024, InfoField(client, "memory", "maxmemory"));
        // Demoted keys are read back from disk.
        Assert.Equal($"${value.Length}\r\n{value}\r\n", Encoding.UTF8.GetString(client.Call("GET", "key:0")));
    }

    [Fact]
    public void MaxMemoryGrow_LetsKeysStayHotAgain()
    {
        using var server = new TieredKvServer(o => o.MaxMemory = 8L << 10);
        using var client = new RawClient(server.Port);
        client.Call("CONFIG", "SET", "maxmemory", "64mb");
        string value = new('v', 200);
        for (int i = 0; i < 200; i++) client.Call("SET", $"key:{i}", value);
        Assert.True(InfoField(client, "tieredkv", "hot_bytes") > 8 << 10);
    }

    [Fact]
    public void LogLevel_ChangesWhatIsLoggedAtOnce()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        using var server = new TieredKvServer(loggerFactory: factory);
        using (var quiet = new RawClient(server.Port))
        {
            quiet.SendRaw("*1\r\n$x\r\n"u8.ToArray()); // a protocol error: logged at debug level
            quiet.IsClosedByServer();
        }
        Assert.DoesNotContain(logs.Messages, m => m.Contains("protocol error", StringComparison.Ordinal));

        using (var admin = new RawClient(server.Port)) admin.Call("CONFIG", "SET", "loglevel", "debug");
        using (var noisy = new RawClient(server.Port))
        {
            noisy.SendRaw("*1\r\n$x\r\n"u8.ToArray());
            noisy.IsClosedByServer();
        }
        Assert.Contains(logs.Messages, m => m.StartsWith("Debug:", StringComparison.Ordinal) && m.Contains("protocol error", StringComparison.Ordinal));
    }
}
