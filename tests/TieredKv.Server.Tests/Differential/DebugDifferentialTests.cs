using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>A real Redis that allows DEBUG (enable-debug-command) and one TieredKv server.</summary>
public sealed class DebugDifferentialFixture : IDisposable
{
    public RedisServer? Redis { get; } = RedisServer.StartIfInstalled("--enable-debug-command yes");

    public TieredKvServer Ours { get; } = new(_ => { });

    public void Dispose()
    {
        Redis?.Dispose();
        Ours.Dispose();
    }
}

/// <summary>DEBUG, LOLWUT, BGREWRITEAOF against real Redis 7.0 with DEBUG enabled.</summary>
public sealed class DebugDifferentialTests : IClassFixture<DebugDifferentialFixture>, IDisposable
{
    private readonly RawClient? _redis;
    private readonly RawClient? _ours;

    public DebugDifferentialTests(DebugDifferentialFixture fixture)
    {
        if (fixture.Redis == null) return;
        _redis = new RawClient(fixture.Redis.Port);
        _ours = new RawClient(fixture.Ours.Port);
        _redis.Call("FLUSHALL");
        _ours.Call("FLUSHALL");
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _ours?.Dispose();
    }

    private static string Show(byte[] reply) => Encoding.UTF8.GetString(reply).Replace("\r\n", "\\r\\n");

    private (string Redis, string Ours) Both(params string[] command)
    {
        Skip.If(_redis == null, RedisServer.SkipMessage);
        return (Show(_redis!.Call(command)), Show(_ours!.Call(command)));
    }

    private void Same(params string[] command)
    {
        var (e, a) = Both(command);
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
    }

    /// <summary>The last line of a bulk reply's text (LOLWUT's signature; the art above it is random).</summary>
    private static string LastLine(string shown)
    {
        var lines = shown.Replace("\\r\\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines[^1];
    }

    [SkippableFact]
    public void Debug_SleepAndSetActiveExpireAnswerOk()
    {
        Same("DEBUG", "SLEEP", "0");
        Same("DEBUG", "SLEEP", "0.01");
        Same("DEBUG", "SLEEP", "x");
        Same("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        Same("DEBUG", "SET-ACTIVE-EXPIRE", "1");
    }

    [SkippableFact]
    public void Debug_SetActiveExpireZero_StopsBackgroundExpiry()
    {
        Same("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        try
        {
            Same("SET", "k", "v", "PX", "20");
            Thread.Sleep(400); // several active cycles of both servers
            Same("DBSIZE"); // not expired by a cycle: still counted
            Same("GET", "k"); // expired on access
            Same("DBSIZE");
        }
        finally
        {
            Same("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        }
    }

    [SkippableFact]
    public void Debug_UnknownOrMalformedSubcommandErrorsAsRedis()
    {
        Same("DEBUG", "FOO");
        Same("DEBUG", "SLEEP");
        Same("DEBUG", "SET-ACTIVE-EXPIRE");
        Same("DEBUG", "JMAP");
        Same("DEBUG");
    }

    [SkippableFact]
    public void Debug_ReloadAndChangeReplIdAnswerOkAndKeepData()
    {
        Same("SET", "k", "v");
        Same("RPUSH", "l", "a", "b");
        Same("DEBUG", "RELOAD");
        Same("DEBUG", "RELOAD", "x");
        Same("DEBUG", "CHANGE-REPL-ID");
        Same("GET", "k");
        Same("LRANGE", "l", "0", "-1");
    }

    [SkippableFact]
    public void Debug_ObjectDescribesAKeyOrRefusesAMissingOne()
    {
        Same("DEBUG", "OBJECT", "missing");
        Same("RPUSH", "l", "a");
        var (redis, ours) = Both("DEBUG", "OBJECT", "l");
        Assert.StartsWith("+Value at:", redis, StringComparison.Ordinal);
        Assert.StartsWith("+Value at:", ours, StringComparison.Ordinal);
        Assert.Contains(" refcount:", ours, StringComparison.Ordinal);
        Assert.Contains(" serializedlength:", ours, StringComparison.Ordinal);
        Assert.Contains(" lru_seconds_idle:", ours, StringComparison.Ordinal);
        Same("SET", "n", "12345");
        var (_, number) = Both("DEBUG", "OBJECT", "n");
        Assert.Contains(" encoding:int ", number, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Debug_HelpListsSubcommands()
    {
        var (_, ours) = Both("DEBUG", "HELP");
        Assert.StartsWith("*", ours, StringComparison.Ordinal);
        Assert.Contains("+SLEEP <seconds>", ours, StringComparison.Ordinal);
        Assert.Contains("+SET-ACTIVE-EXPIRE <0|1>", ours, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Lolwut_WithoutVersionIsTheVersionLine()
    {
        Same("LOLWUT");
        Same("LOLWUT", "VERSION", "7");
        Same("LOLWUT", "VERSION", "x");
        Same("LOLWUT", "VERSION");
    }

    [SkippableFact]
    public void LolwutVersion5_EndsWithTheSchotterSignature()
    {
        foreach (var command in new[] { new[] { "LOLWUT", "VERSION", "5" }, ["LOLWUT", "VERSION", "5", "20", "3", "3"], ["LOLWUT", "VERSION", "5", "1", "1", "1"] })
        {
            var (redis, ours) = Both(command);
            Assert.Equal("Georg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15", LastLine(redis));
            Assert.Equal(LastLine(redis), LastLine(ours));
        }
        Same("LOLWUT", "VERSION", "5", "x");
    }

    [SkippableFact]
    public void LolwutVersion5_DrawsTheSameCanvasSize()
    {
        var (redis, ours) = Both("LOLWUT", "VERSION", "5", "20", "3", "3");
        // The squares are placed at random; the canvas (rows of Braille characters) has Redis's shape.
        Assert.Equal(redis.Split('\n').Length, ours.Split('\n').Length);
        Assert.Equal(redis.Length, ours.Length);
    }

    [SkippableFact]
    public void LolwutVersion6_EndsWithThePlaguemonSignature()
    {
        foreach (var command in new[] { new[] { "LOLWUT", "VERSION", "6" }, ["LOLWUT", "VERSION", "6", "30", "8"], ["LOLWUT", "VERSION", "6", "1", "1"] })
        {
            var (redis, ours) = Both(command);
            Assert.Equal("Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15", LastLine(redis));
            Assert.Equal(LastLine(redis), LastLine(ours));
        }
        Same("LOLWUT", "VERSION", "6", "x");
    }

    private static int Cells(string shown) => shown.Split("\u001b[0m").Length - 1;

    [SkippableFact]
    public void LolwutVersion6_DrawsTheSameCanvasSize()
    {
        var (redis, ours) = Both("LOLWUT", "VERSION", "6", "30", "8");
        // The grays are random; the canvas has Redis's rows and cells (one colour reset per cell).
        Assert.Equal(redis.Split('\n').Length, ours.Split('\n').Length);
        Assert.Equal(Cells(redis), Cells(ours));
        Assert.Equal(30 * 8, Cells(ours));
    }

    [SkippableFact]
    public void BgRewriteAof_ReportsTheRewriteStarted()
    {
        Same("SET", "k", "v");
        Same("BGREWRITEAOF");
        Thread.Sleep(300); // let Redis's rewrite finish before the next test's command
        Same("GET", "k");
    }
}
