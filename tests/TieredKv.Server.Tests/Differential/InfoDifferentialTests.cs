using System.Text;
using TieredKv.Server.Tests.Security;

namespace TieredKv.Server.Tests.Differential;

/// <summary>INFO against a real Redis 7.0.15: its field names, its section selection, and the fields whose values are fixed here.</summary>
public sealed class InfoDifferentialTests
{
    /// <summary>Commands that make Redis list its per-command, per-error and latency fields, sent to both servers first.</summary>
    private static readonly string[][] Workload =
    [
        ["CONFIG", "RESETSTAT"], ["SET", "s", "text"], ["GET", "s"], ["GET"], ["NOSUCH"], ["INCR", "s"], ["LPUSH", "s", "x"],
        ["CONFIG", "GET", "databases"], ["SLOWLOG", "GET", "0"], ["AUTH", "secret"], ["SUBSCRIBE", "news"], ["UNSUBSCRIBE"],
    ];

    private static void RunWorkload((RawClient Redis, RawClient Ours) clients)
    {
        foreach (var command in Workload) ServerPair.Same(clients, command);
    }

    private static List<string> Lines(RawClient client, params string[] sections) =>
        [.. Encoding.UTF8.GetString(client.Call(["INFO", .. sections])).Split("\r\n").Skip(1).Where(l => l.Length > 0)];

    private static HashSet<string> FieldNames(RawClient client) =>
        [.. Lines(client, "everything").Where(l => !l.StartsWith('#')).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)])];

    [SkippableFact]
    public void EveryFieldOfRedisInfoEverything_ExistsInOurs()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        RunWorkload(clients);
        var redis = FieldNames(clients.Redis);
        var ours = FieldNames(clients.Ours);
        var missing = redis.Where(f => !ours.Contains(f)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"fields of Redis's INFO everything missing in ours: {string.Join(", ", missing)}");
        Assert.True(redis.Count > 180, $"Redis listed only {redis.Count} fields");
    }

    [SkippableTheory]
    [InlineData]
    [InlineData("default")]
    [InlineData("all")]
    [InlineData("everything")]
    [InlineData("server", "clients")]
    [InlineData("CommandStats", "latencystats", "errorstats")]
    [InlineData("default", "commandstats")]
    [InlineData("keyspace", "server", "nosuchsection")]
    [InlineData("nosuchsection")]
    public void SectionSelection_ListsRedisSections_InRedisOrder(params string[] sections)
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        RunWorkload(clients);
        // Our own section comes beside Redis's ones in the default selection.
        static List<string> Headers(RawClient client, string[] sections) => [.. Lines(client, sections).Where(l => l.StartsWith('#') && l != "# Tieredkv")];
        Assert.Equal(Headers(clients.Redis, sections), Headers(clients.Ours, sections));
    }

    [SkippableFact]
    public void FieldsWithFixedValues_AreRedis()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        RunWorkload(clients);
        string[] fixedFields =
        [
            "redis_version", "redis_mode", "arch_bits", "io_threads_active", "cluster_connections", "blocked_clients", "tracking_clients",
            "loading", "async_loading", "rdb_bgsave_in_progress", "rdb_last_bgsave_status", "aof_rewrite_in_progress", "aof_last_write_status",
            "role", "connected_slaves", "master_failover_state", "master_replid2", "master_repl_offset", "second_repl_offset", "repl_backlog_active",
            "cluster_enabled", "pubsub_channels", "pubsub_patterns", "evicted_keys", "total_error_replies", "unexpected_error_replies", "total_forks",
        ];
        var redis = Lines(clients.Redis, "everything").Where(l => fixedFields.Contains(l.Split(':')[0])).ToList();
        var ours = Lines(clients.Ours, "everything").Where(l => fixedFields.Contains(l.Split(':')[0])).ToList();
        Assert.Equal(redis, ours);
    }

    [SkippableFact]
    public void OurSection_StaysInInfo()
    {
        using var pair = new ServerPair("");
        using var ours = new RawClient(pair.Ours.Port);
        var lines = Lines(ours, "tieredkv");
        Assert.Equal("# Tieredkv", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("lsm_flushes:", StringComparison.Ordinal));
        Assert.Contains(Lines(ours), l => l == "# Tieredkv");
    }
}
