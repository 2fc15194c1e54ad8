using TieredKv.Client;
using TieredKv.Server.Tests.Harness;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Integration;

/// <summary>
/// Function libraries move between real Redis and us as Redis moves them: FUNCTION DUMP payloads and the FUNCTION2
/// records of RDB files, in both directions.
/// </summary>
public sealed class FunctionRdbInteropTests : IDisposable
{
    private const string Library = "#!lua name=interop\nredis.register_function('answer', function(keys, args) return 'the answer is ' .. args[1] end)";
    private readonly TempDirectory _dir = new("tkv-function-rdb-");

    public void Dispose() => _dir.Dispose();

    private static RespConnection Connect(TieredKvServer server) => RespConnection.Connect("127.0.0.1", server.Port);

    private static void AssertAnswers(RespConnection client) =>
        Assert.Equal("the answer is 42", System.Text.Encoding.UTF8.GetString(client.CallOrThrow("FCALL", "answer", "0", "42").Bulk!));

    [SkippableFact]
    public void OurFunctionDump_RestoresIntoRedis()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var ours = new TieredKvServer();
        using var oursClient = Connect(ours);
        oursClient.CallOrThrow("FUNCTION", "LOAD", Library);
        byte[] payload = oursClient.CallOrThrow("FUNCTION", "DUMP").Bulk!;

        using var redis = new RedisServer();
        using var redisClient = redis.Connect();
        Assert.Equal("OK", redisClient.CallOrThrow("FUNCTION", "RESTORE", payload).Text);
        AssertAnswers(redisClient);
    }

    [SkippableFact]
    public void RedisFunctionDump_RestoresIntoOurs()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var redisClient = redis.Connect();
        redisClient.CallOrThrow("FUNCTION", "LOAD", Library);
        byte[] payload = redisClient.CallOrThrow("FUNCTION", "DUMP").Bulk!;

        using var ours = new TieredKvServer();
        using var oursClient = Connect(ours);
        Assert.Equal("OK", oursClient.CallOrThrow("FUNCTION", "RESTORE", payload).Text);
        AssertAnswers(oursClient);
    }

    [SkippableFact]
    public void OurSavedRdb_LoadsInRedisWithItsLibraries()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string saved;
        using (var ours = new TieredKvServer(o => o.Dir = _dir.Path))
        {
            using var oursClient = Connect(ours);
            oursClient.CallOrThrow("FUNCTION", "LOAD", Library);
            oursClient.CallOrThrow("SET", "k", "v");
            oursClient.CallOrThrow("SAVE");
            saved = Path.Combine(_dir.Path, "dump.rdb");
        }
        using var redis = new RedisServer(rdbToLoad: saved);
        using var redisClient = redis.Connect();
        AssertAnswers(redisClient);
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(redisClient.CallOrThrow("GET", "k").Bulk!));
    }

    [SkippableFact]
    public void RedisSavedRdb_ImportsIntoOursWithItsLibraries()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string rdb = Path.Combine(_dir.Path, "from-redis.rdb");
        using (var redis = new RedisServer())
        {
            using var redisClient = redis.Connect();
            redisClient.CallOrThrow("FUNCTION", "LOAD", Library);
            redisClient.CallOrThrow("SET", "k", "v");
            redisClient.CallOrThrow("SAVE");
            File.Copy(redis.RdbPath, rdb);
        }
        using var ours = new TieredKvServer(o => o.ImportRdb = rdb);
        using var oursClient = Connect(ours);
        AssertAnswers(oursClient);
        Assert.Equal("v", System.Text.Encoding.UTF8.GetString(oursClient.CallOrThrow("GET", "k").Bulk!));
    }
}
