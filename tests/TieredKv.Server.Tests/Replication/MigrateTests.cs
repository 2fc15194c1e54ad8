using System.Text;
using TieredKv.Server.Tests.Security;

namespace TieredKv.Server.Tests.Replication;

/// <summary>MIGRATE between ours and a real redis-server, both ways, and its replies beside Redis's.</summary>
public sealed class MigrateTests
{
    private static string Show(byte[] reply) => ServerPair.Show(reply);

    [SkippableFact]
    public void Migrate_FromOursToRedis_MovesTheKeyWithItsTtl()
    {
        using var pair = new ServerPair("");
        var (redis, ours) = pair.Connect();
        ours.Call("RPUSH", "list", "a", "b", "c");
        ours.Call("PEXPIRE", "list", "100000");
        Assert.Equal("+OK\\r\\n", Show(ours.Call("MIGRATE", "127.0.0.1", pair.Redis.Port.ToString(), "list", "0", "5000")));
        Assert.Equal("*3\\r\\n$1\\r\\na\\r\\n$1\\r\\nb\\r\\n$1\\r\\nc\\r\\n", Show(redis.Call("LRANGE", "list", "0", "-1")));
        long ttl = long.Parse(Encoding.ASCII.GetString(redis.Call("PTTL", "list"))[1..^2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 90000, 100000);
        Assert.Equal(":0\\r\\n", Show(ours.Call("EXISTS", "list")));
    }

    [SkippableFact]
    public void Migrate_FromRedisToOurs_RestoresTheValueHere()
    {
        using var pair = new ServerPair("");
        var (redis, ours) = pair.Connect();
        redis.Call("HSET", "h", "f1", "v1", "f2", "v2");
        Assert.Equal("+OK\\r\\n", Show(redis.Call("MIGRATE", "127.0.0.1", pair.Ours.Port.ToString(), "h", "3", "5000")));
        ours.Call("SELECT", "3");
        Assert.Equal("$2\\r\\nv2\\r\\n", Show(ours.Call("HGET", "h", "f2")));
        Assert.Equal(":0\\r\\n", Show(redis.Call("EXISTS", "h")));
    }

    [SkippableFact]
    public void Migrate_CopyAndKeys_KeepsTheKeysHereAndSendsOnlyExistingOnes()
    {
        using var pair = new ServerPair("");
        var (redis, ours) = pair.Connect();
        ours.Call("SET", "a", "1");
        ours.Call("SET", "b", "2");
        string port = pair.Redis.Port.ToString();
        Assert.Equal("+OK\\r\\n", Show(ours.Call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "COPY", "KEYS", "a", "missing", "b")));
        Assert.Equal("*2\\r\\n$1\\r\\n1\\r\\n$1\\r\\n2\\r\\n", Show(redis.Call("MGET", "a", "b")));
        Assert.Equal(":2\\r\\n", Show(ours.Call("EXISTS", "a", "b")));
    }

    [SkippableFact]
    public void Migrate_Errors_AreRedisErrors()
    {
        using var pair = new ServerPair("");
        using var redisTarget = new RedisServerTarget();
        using var oursTarget = new RedisServerTarget();
        var clients = pair.Connect();
        void SameMigrate(params string[] rest)
        {
            string expected = Show(clients.Redis.Call(["MIGRATE", "127.0.0.1", redisTarget.Port.ToString(), .. rest]));
            string actual = Show(clients.Ours.Call(["MIGRATE", "127.0.0.1", oursTarget.Port.ToString(), .. rest]));
            Assert.True(expected == actual, $"MIGRATE {string.Join(' ', rest)}\n  redis:    {expected}\n  tieredkv: {actual}");
        }
        ServerPair.Same(clients, "SET", "k", "v");
        SameMigrate("nokey", "0", "1000");
        SameMigrate("k", "0", "1000", "COPY");
        // The second copy finds the key there already: the target's BUSYKEY, prefixed.
        SameMigrate("k", "0", "1000", "COPY");
        SameMigrate("k", "99", "1000", "REPLACE");
        SameMigrate("k", "0", "1000", "AUTH", "pw");
        SameMigrate("k", "0", "1000", "KEYS", "k");
        SameMigrate("k", "0", "1000", "AUTH2", "u");
        SameMigrate("k", "0", "x");
        SameMigrate("k", "x", "1000");
        SameMigrate("k", "0", "1000", "BOGUS");
        ServerPair.Same(clients, "EXISTS", "k");
        SameMigrate("k", "0", "1000", "REPLACE");
        ServerPair.Same(clients, "EXISTS", "k");
    }

    [SkippableFact]
    public void Migrate_IsCountedOnceInCommandstats()
    {
        using var pair = new ServerPair("");
        var (_, ours) = pair.Connect();
        ours.Call("SET", "k", "v");
        ours.Call("CONFIG", "RESETSTAT");
        Assert.Equal("+OK\\r\\n", Show(ours.Call("MIGRATE", "127.0.0.1", pair.Redis.Port.ToString(), "k", "0", "5000")));
        string stats = Encoding.UTF8.GetString(ours.Call("INFO", "commandstats"));
        Assert.Contains("cmdstat_migrate:calls=1,", stats, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Migrate_ToAClosedPort_AnswersRedisIoError()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "SET", "k", "v");
        string closed = TestSupport.LoopbackPort.Free().ToString();
        ServerPair.Same(clients, "MIGRATE", "127.0.0.1", closed, "k", "0", "300");
        ServerPair.Same(clients, "EXISTS", "k");
    }

    [SkippableFact]
    public void Migrate_WhileTheTargetIsSlow_OtherClientsAreServed()
    {
        using var pair = new ServerPair("");
        using var target = new RedisServerTarget();
        var (_, ours) = pair.Connect();
        using var targetClient = new RawClient(target.Port);
        ours.Call("SET", "k", "v");
        // The target sleeps before it reads the RESTORE: our MIGRATE waits for it meanwhile.
        targetClient.SendRaw(Encoding.ASCII.GetBytes("DEBUG SLEEP 1\r\n"));
        using var migrating = new RawClient(pair.Ours.Port);
        migrating.SendRaw(RawClient.Encode([.. new[] { "MIGRATE", "127.0.0.1", target.Port.ToString(), "k", "0", "5000" }.Select(Encoding.ASCII.GetBytes)]));
        Thread.Sleep(200);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("+PONG\\r\\n", Show(ours.Call("PING")));
        Assert.True(watch.ElapsedMilliseconds < 500, $"PING waited {watch.ElapsedMilliseconds} ms behind the MIGRATE");
        Assert.Equal("+OK\\r\\n", Show(migrating.ReadReply()));
    }

    /// <summary>A second, empty redis-server to migrate into (with DEBUG allowed for the slow-target test).</summary>
    private sealed class RedisServerTarget : IDisposable
    {
        private readonly RedisServer _server = new("--enable-debug-command yes");
        public int Port => _server.Port;
        public void Dispose() => _server.Dispose();
    }
}
