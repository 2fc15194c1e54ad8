using TieredKv.Server.Tests.Differential;
using TieredKv.Server.Tests.Harness;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Integration;

/// <summary>Streams with consumer groups in RDB files, both ways: our SAVE loaded by redis-server, Redis's SAVE imported by us.</summary>
public sealed class StreamRdbInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new("tkv-stream-rdb-");

    public void Dispose() => _dir.Dispose();

    private static readonly string[][] Build =
    [
        ["XADD", "events", "1-1", "kind", "created", "id", "1"],
        ["XADD", "events", "2-1", "kind", "updated", "id", "1", "by", "alice"],
        ["XADD", "events", "3-1", "kind", "deleted", "id", "1"],
        ["XADD", "events", "4-1", "kind", "created", "id", "2"],
        ["XDEL", "events", "2-1"],
        ["XGROUP", "CREATE", "events", "indexer", "0"],
        ["XREADGROUP", "GROUP", "indexer", "worker-1", "COUNT", "2", "STREAMS", "events", ">"],
        ["XADD", "log", "MAXLEN", "0", "*", "a", "b"],
        ["PEXPIRE", "events", "3600000"],
    ];

    private static string State(RawClient client, string key) =>
        StreamFuzzDifferentialTests.Mask(RespTree.Parse(client.Call("XINFO", "STREAM", key, "FULL"))) + " " +
        RespTree.Parse(client.Call("XRANGE", key, "-", "+")) + " " + RespTree.Parse(client.Call("TYPE", key));

    [SkippableFact]
    public void OurSavedStreams_LoadInRedisAsTheyAre()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string expected, expectedEmpty;
        using (var ours = new TieredKvServer(o => o.Dir = _dir.Path))
        {
            using var client = new RawClient(ours.Port);
            foreach (var command in Build) client.Call(command);
            client.Call("SAVE");
            expected = State(client, "events");
            expectedEmpty = State(client, "log");
        }
        using var redis = new RedisServer(rdbToLoad: Path.Combine(_dir.Path, "dump.rdb"));
        using var redisClient = new RawClient(redis.Port);
        Assert.Equal(expected, State(redisClient, "events"));
        Assert.Equal(expectedEmpty, State(redisClient, "log"));
        Assert.Matches(@"^:3[0-9]{6}\r\n$", System.Text.Encoding.ASCII.GetString(redisClient.Call("PTTL", "events")));
    }

    [SkippableFact]
    public void RedisSavedStreams_ImportIntoOursAsTheyAre()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string rdb = Path.Combine(_dir.Path, "from-redis.rdb");
        string expected;
        using (var redis = new RedisServer())
        {
            using var client = new RawClient(redis.Port);
            foreach (var command in Build) client.Call(command);
            client.Call("SAVE");
            expected = State(client, "events");
            File.Copy(redis.RdbPath, rdb);
        }
        using var ours = new TieredKvServer(o => o.ImportRdb = rdb);
        using var oursClient = new RawClient(ours.Port);
        Assert.Equal(expected, State(oursClient, "events"));
        Assert.Equal("+stream\r\n", System.Text.Encoding.ASCII.GetString(oursClient.Call("TYPE", "log")));
    }
}
