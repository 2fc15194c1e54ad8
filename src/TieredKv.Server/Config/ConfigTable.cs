using TieredKv.Storage;
using static TieredKv.Server.Config.ConfigFlags;

namespace TieredKv.Server.Config;

/// <summary>
/// Every parameter Redis 7.0.15's CONFIG knows, with Redis's types, bounds, enums, defaults and aliases (its
/// config.c table, TLS included). The parameters marked <see cref="ConfigFlags.TakesEffect"/> are bound to the
/// typed properties of <see cref="ServerOptions"/> the server reads; the others are stored and reported only.
/// Where our defaults or mutability differ from Redis's it is on purpose, and said so beside the row.
/// </summary>
internal static class ConfigTable
{
    private const long IntMax = int.MaxValue, IntMin = int.MinValue, UIntMax = uint.MaxValue, LongMax = long.MaxValue;
    private const long ULongLongMax = -1; // 2^64-1 as Redis's long long bound holds it; compared unsigned

    private static readonly (string, int)[] YesNoLocal = [("no", 0), ("yes", 1), ("local", 2)];

    public static IEnumerable<ConfigParameter> All() => [.. Bools(), .. Strings(), .. Enums(), .. Numbers(), .. Tls(), .. Specials()];

    private static IEnumerable<ConfigParameter> Bools() =>
    [
        Bool("rdbchecksum", true, Immutable),
        Bool("daemonize", false, Immutable),
        Bool("io-threads-do-reads", false, Immutable),
        Bool("always-show-logo", false, Immutable),
        new BoolParameter("protected-mode", null, TakesEffect, ConfigSlot<bool>.Bound(o => o.ProtectedMode, (o, v) => o.ProtectedMode = v)),
        Bool("rdbcompression", true),
        Bool("rdb-del-sync-files", false),
        Bool("activerehashing", true),
        Bool("stop-writes-on-bgsave-error", true),
        Bool("set-proc-title", true, Immutable),
        Bool("dynamic-hz", true),
        Bool("lazyfree-lazy-eviction", false),
        Bool("lazyfree-lazy-expire", false),
        Bool("lazyfree-lazy-server-del", false),
        Bool("lazyfree-lazy-user-del", false),
        Bool("lazyfree-lazy-user-flush", false),
        Bool("repl-disable-tcp-nodelay", false),
        Bool("repl-diskless-sync", true),
        Bool("aof-rewrite-incremental-fsync", true),
        Bool("no-appendfsync-on-rewrite", false),
        Bool("cluster-require-full-coverage", true),
        Bool("rdb-save-incremental-fsync", true),
        Bool("aof-load-truncated", true),
        Bool("aof-use-rdb-preamble", true),
        Bool("aof-timestamp-enabled", false),
        Bool("cluster-replica-no-failover", false, alias: "cluster-slave-no-failover"),
        Bool("replica-lazy-flush", false, alias: "slave-lazy-flush"),
        Bool("replica-serve-stale-data", true, alias: "slave-serve-stale-data"),
        Bool("replica-read-only", true, alias: "slave-read-only"),
        Bool("replica-ignore-maxmemory", true, alias: "slave-ignore-maxmemory"),
        Bool("jemalloc-bg-thread", true),
        // As the installed redis-server, built without Jemalloc's defragmentation support.
        new BoolParameter("activedefrag", null, None, ConfigSlot<bool>.Stored("activedefrag", false), yes => yes
            ? "Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution"
            : null),
        Bool("syslog-enabled", false, Immutable),
        Bool("cluster-enabled", false, Immutable),
        // Ours differs: the WAL is the store, always on, so appendonly is always yes; setting it is checked and ignored.
        new BoolParameter("appendonly", null, None, ConfigSlot<bool>.Bound(_ => true, (_, _) => { })),
        Bool("cluster-allow-reads-when-down", false),
        Bool("cluster-allow-pubsubshard-when-down", true),
        Bool("crash-log-enabled", true),
        Bool("crash-memcheck-enabled", true),
        Bool("use-exit-on-panic", false, Hidden),
        Bool("disable-thp", true, Immutable),
        Bool("cluster-allow-replica-migration", true),
        Bool("replica-announced", true),
        Bool("latency-tracking", true),
        Bool("aof-disable-auto-gc", false),
        Bool("replica-ignore-disk-write-errors", false),
    ];

    private static IEnumerable<ConfigParameter> Strings() =>
    [
        Text("aclfile", "", Immutable),
        Text("unixsocket", null, Immutable | TakesEffect),
        Text("pidfile", null, Immutable | TakesEffect),
        Text("replica-announce-ip", null, alias: "slave-announce-ip"),
        Text("masteruser", null),
        Text("cluster-announce-ip", null),
        Text("cluster-config-file", "nodes.conf", Immutable),
        Text("cluster-announce-hostname", null, check: SpecialConfigValues.CheckHostname),
        Text("syslog-ident", "redis", Immutable),
        new StringParameter("dbfilename", null, Protected | TakesEffect, false,
            ConfigSlot<string?>.Bound(o => o.DbFilename, (o, v) => o.DbFilename = v ?? ""), SpecialConfigValues.CheckDbFilename),
        Text("appendfilename", "appendonly.aof", Immutable, check: SpecialConfigValues.CheckAppendFilename),
        Text("appenddirname", "appendonlydir", Immutable, check: SpecialConfigValues.CheckAppendDirname),
        Text("server_cpulist", null, Immutable),
        Text("bio_cpulist", null, Immutable),
        Text("aof_rewrite_cpulist", null, Immutable),
        Text("bgsave_cpulist", null, Immutable),
        Text("ignore-warnings", ""),
        Text("proc-title-template", "{title} {listen-addr} {server-mode}", check: SpecialConfigValues.CheckProcTitleTemplate),
        Text("bind-source-addr", null),
        Text("logfile", "", Immutable | TakesEffect),
        Text("masterauth", null),
        new StringParameter("requirepass", null, TakesEffect, true, ConfigSlot<string?>.Bound(o => o.RequirePass, (o, v) => o.RequirePass = v)),
    ];

    private static IEnumerable<ConfigParameter> Enums() =>
    [
        Enum("supervised", [("upstart", 3), ("systemd", 2), ("auto", 1), ("no", 0)], 0, Immutable),
        Enum("syslog-facility", [("user", 8), ("local0", 128), ("local1", 136), ("local2", 144), ("local3", 152), ("local4", 160), ("local5", 168), ("local6", 176), ("local7", 184)], 128, Immutable),
        Enum("repl-diskless-load", [("disabled", 0), ("on-empty-db", 1), ("swapdb", 2)], 0),
        new EnumParameter("loglevel", null, TakesEffect, [("debug", 0), ("verbose", 1), ("notice", 2), ("warning", 3)],
            ConfigSlot<int>.Bound(o => Array.IndexOf(LogLevels, o.LogLevel), (o, v) => o.LogLevel = LogLevels[v])),
        Enum("maxmemory-policy", [("volatile-lru", 1), ("volatile-lfu", 258), ("volatile-random", 768), ("volatile-ttl", 512), ("allkeys-lru", 1029), ("allkeys-lfu", 1286), ("allkeys-random", 1540), ("noeviction", 1792)], 1792),
        new EnumParameter("appendfsync", null, TakesEffect, [("everysec", 2), ("always", 1), ("no", 0)], ConfigSlot<int>.Bound(
            o => o.AppendFsync switch { WalSyncPolicy.Always => 1, WalSyncPolicy.No => 0, _ => 2 },
            (o, v) => o.AppendFsync = v switch { 1 => WalSyncPolicy.Always, 0 => WalSyncPolicy.No, _ => WalSyncPolicy.EverySec })),
        Enum("oom-score-adj", [("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2)], 0),
        Enum("acl-pubsub-default", [("allchannels", 8), ("resetchannels", 0)], 0),
        Enum("sanitize-dump-payload", [("no", 0), ("yes", 1), ("clients", 2)], 0),
        // Ours differs: "local" (Redis: no), so dbfilename stays settable from this machine as it always was here.
        Enum("enable-protected-configs", YesNoLocal, 2, Immutable | TakesEffect),
        Enum("enable-debug-command", YesNoLocal, 0, Immutable),
        Enum("enable-module-command", YesNoLocal, 0, Immutable),
        Enum("cluster-preferred-endpoint-type", [("ip", 0), ("hostname", 1), ("unknown-endpoint", 2)], 0),
        Enum("propagation-error-behavior", [("ignore", 0), ("panic", 1), ("panic-on-replicas", 2)], 0),
        Enum("shutdown-on-sigint", ShutdownFlags, 0, MultiArg, CheckShutdownFlags),
        Enum("shutdown-on-sigterm", ShutdownFlags, 0, MultiArg, CheckShutdownFlags),
    ];

    private static readonly string[] LogLevels = ["debug", "verbose", "notice", "warning"];
    private static readonly (string, int)[] ShutdownFlags = [("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8)];

    private static string? CheckShutdownFlags(int flags) =>
        (flags & 3) == 3 ? "shutdown options SAVE and NOSAVE can't be used simultaneously" : null;

    private static IEnumerable<ConfigParameter> Numbers() =>
    [
        new NumericParameter("databases", null, Immutable | TakesEffect, 1, IntMax, NumericFormat.Integer, false,
            ConfigSlot<long>.Bound(o => o.Databases, (o, v) => o.Databases = (int)v)),
        // Ours differs: the listening port cannot change while running.
        new NumericParameter("port", null, Immutable | TakesEffect, 0, 65535, NumericFormat.Integer, false,
            ConfigSlot<long>.Bound(o => o.Port, (o, v) => o.Port = (int)v)),
        Int("io-threads", 1, 128, 1, Immutable),
        Int("auto-aof-rewrite-percentage", 0, IntMax, 100),
        Int("cluster-replica-validity-factor", 0, IntMax, 10, alias: "cluster-slave-validity-factor"),
        Int("list-max-listpack-size", IntMin, IntMax, -2, alias: "list-max-ziplist-size"),
        Int("tcp-keepalive", 0, IntMax, 300, TakesEffect),
        Int("cluster-migration-barrier", 0, IntMax, 1),
        Int("active-defrag-cycle-min", 1, 99, 1),
        Int("active-defrag-cycle-max", 1, 99, 25),
        Int("active-defrag-threshold-lower", 0, 1000, 10),
        Int("active-defrag-threshold-upper", 0, 1000, 100),
        Int("lfu-log-factor", 0, IntMax, 10),
        Int("lfu-decay-time", 0, IntMax, 1),
        Int("replica-priority", 0, IntMax, 100, alias: "slave-priority"),
        Int("repl-diskless-sync-delay", 0, IntMax, 5),
        Int("maxmemory-samples", 1, IntMax, 5),
        Int("maxmemory-eviction-tenacity", 0, 100, 10),
        Int("timeout", 0, IntMax, 0, TakesEffect),
        Int("replica-announce-port", 0, 65535, 0, alias: "slave-announce-port"),
        Int("tcp-backlog", 0, IntMax, 511, Immutable | TakesEffect),
        Int("cluster-port", 0, 65535, 0, Immutable),
        Int("cluster-announce-bus-port", 0, 65535, 0),
        Int("cluster-announce-port", 0, 65535, 0),
        Int("cluster-announce-tls-port", 0, 65535, 0),
        Int("repl-timeout", 1, IntMax, 60),
        Int("repl-ping-replica-period", 1, IntMax, 10, alias: "repl-ping-slave-period"),
        Int("list-compress-depth", 0, IntMax, 0),
        Int("rdb-key-save-delay", IntMin, IntMax, 0, Hidden),
        Int("key-load-delay", IntMin, IntMax, 0, Hidden),
        Int("active-expire-effort", 1, 10, 1),
        // Redis takes any hz in range but keeps it within 1..500.
        new NumericParameter("hz", null, None, 0, IntMax, NumericFormat.Integer, false, ConfigSlot<long>.Stored("hz", 10L), v => Math.Clamp(v, 1, 500)),
        Int("min-replicas-to-write", 0, IntMax, 0, alias: "min-slaves-to-write"),
        Int("min-replicas-max-lag", 0, IntMax, 10, alias: "min-slaves-max-lag"),
        Int("watchdog-period", 0, IntMax, 0, Hidden),
        Int("shutdown-timeout", 0, IntMax, 10),
        Int("repl-diskless-sync-max-replicas", 0, IntMax, 0),
        // maxclients is a C unsigned int in Redis; ours an int, so a larger limit is held as int.MaxValue. As Redis,
        // a limit the process's open-file limit cannot serve is refused.
        new NumericParameter("maxclients", null, TakesEffect, 1, UIntMax, NumericFormat.Integer, true,
            ConfigSlot<long>.Bound(o => o.MaxClients, (o, v) => o.MaxClients = (int)Math.Min(v, int.MaxValue)), check: OpenFilesLimit.CheckMaxClients),
        Int("unixsocketperm", 0, Convert.ToInt64("777", 8), 0, Immutable | TakesEffect, format: NumericFormat.Octal, unsigned: true),
        Int("socket-mark-id", 0, UIntMax, 0, Immutable, unsigned: true),
        Int("active-defrag-max-scan-fields", 1, LongMax, 1000),
        new NumericParameter("slowlog-max-len", null, TakesEffect, 0, LongMax, NumericFormat.Integer, false,
            ConfigSlot<long>.Bound(o => o.SlowlogMaxLen, (o, v) => o.SlowlogMaxLen = v)),
        Int("acllog-max-len", 0, LongMax, 128),
        new NumericParameter("busy-reply-threshold", "lua-time-limit", TakesEffect, 0, LongMax, NumericFormat.Integer, false,
            ConfigSlot<long>.Bound(o => o.BusyReplyThreshold, (o, v) => o.BusyReplyThreshold = v)),
        Int("cluster-node-timeout", 0, LongMax, 15000),
        new NumericParameter("slowlog-log-slower-than", null, TakesEffect, -1, LongMax, NumericFormat.Integer, false,
            ConfigSlot<long>.Bound(o => o.SlowlogLogSlowerThan, (o, v) => o.SlowlogLogSlowerThan = v)),
        new NumericParameter("latency-monitor-threshold", null, TakesEffect, 0, LongMax, NumericFormat.Integer, false,
            ConfigSlot<long>.Bound(o => o.LatencyMonitorThreshold, (o, v) => o.LatencyMonitorThreshold = v)),
        new NumericParameter("proto-max-bulk-len", null, TakesEffect, 1024 * 1024, LongMax, NumericFormat.Memory, false,
            ConfigSlot<long>.Bound(o => o.ProtoMaxBulkLen, (o, v) => o.ProtoMaxBulkLen = v)),
        Int("stream-node-max-entries", 0, LongMax, 100),
        // Redis's backlog is never smaller than 16kb.
        new NumericParameter("repl-backlog-size", null, None, 1, LongMax, NumericFormat.Memory, false, ConfigSlot<long>.Stored("repl-backlog-size", 1024L * 1024),
            v => Math.Max(v, 16 * 1024)),
        // Ours differs: 256mb by default (Redis: 0, no limit): it sizes the hot tier in memory (CONFIG SET resizes it).
        new NumericParameter("maxmemory", null, TakesEffect, 0, ULongLongMax, NumericFormat.Memory, true,
            ConfigSlot<long>.Bound(o => o.MaxMemory, (o, v) => o.MaxMemory = v)),
        Int("cluster-link-sendbuf-limit", 0, ULongLongMax, 0, format: NumericFormat.Memory, unsigned: true),
        // The encoding thresholds decide what OBJECT ENCODING answers (ObjectCommands.EncodingName).
        new NumericParameter("hash-max-listpack-entries", "hash-max-ziplist-entries", TakesEffect, 0, LongMax, NumericFormat.Integer, true,
            ConfigSlot<long>.Bound(o => o.HashMaxListpackEntries, (o, v) => o.HashMaxListpackEntries = v)),
        new NumericParameter("set-max-intset-entries", null, TakesEffect, 0, LongMax, NumericFormat.Integer, true,
            ConfigSlot<long>.Bound(o => o.SetMaxIntsetEntries, (o, v) => o.SetMaxIntsetEntries = v)),
        new NumericParameter("zset-max-listpack-entries", "zset-max-ziplist-entries", TakesEffect, 0, LongMax, NumericFormat.Integer, true,
            ConfigSlot<long>.Bound(o => o.ZSetMaxListpackEntries, (o, v) => o.ZSetMaxListpackEntries = v)),
        Int("active-defrag-ignore-bytes", 1, LongMax, 100L << 20, format: NumericFormat.Memory, unsigned: true),
        new NumericParameter("hash-max-listpack-value", "hash-max-ziplist-value", TakesEffect, 0, LongMax, NumericFormat.Memory, true,
            ConfigSlot<long>.Bound(o => o.HashMaxListpackValue, (o, v) => o.HashMaxListpackValue = v)),
        Int("stream-node-max-bytes", 0, LongMax, 4096, format: NumericFormat.Memory, unsigned: true),
        new NumericParameter("zset-max-listpack-value", "zset-max-ziplist-value", TakesEffect, 0, LongMax, NumericFormat.Memory, true,
            ConfigSlot<long>.Bound(o => o.ZSetMaxListpackValue, (o, v) => o.ZSetMaxListpackValue = v)),
        Int("hll-sparse-max-bytes", 0, LongMax, 3000, format: NumericFormat.Memory, unsigned: true),
        new NumericParameter("tracking-table-max-keys", null, TakesEffect, 0, LongMax, NumericFormat.Integer, true,
            ConfigSlot<long>.Bound(o => o.TrackingTableMaxKeys, (o, v) => o.TrackingTableMaxKeys = v)),
        new NumericParameter("client-query-buffer-limit", null, TakesEffect, 1024 * 1024, LongMax, NumericFormat.Memory, true,
            ConfigSlot<long>.Bound(o => o.ClientQueryBufferLimit, (o, v) => o.ClientQueryBufferLimit = v)),
        Int("maxmemory-clients", -100, LongMax, 0, format: NumericFormat.MemoryOrPercent),
        Int("repl-backlog-ttl", 0, LongMax, 3600),
        Int("auto-aof-rewrite-min-size", 0, LongMax, 64L << 20, format: NumericFormat.Memory),
        Int("loading-process-events-interval-bytes", 1024, IntMax, 2L << 20, Hidden),
    ];

    private static IEnumerable<ConfigParameter> Tls() =>
    [
        Int("tls-port", 0, 65535, 0),
        Int("tls-session-cache-size", 0, IntMax, 20 * 1024),
        Int("tls-session-cache-timeout", 0, IntMax, 300),
        Bool("tls-cluster", false),
        Bool("tls-replication", false),
        Enum("tls-auth-clients", [("no", 0), ("yes", 1), ("optional", 2)], 1),
        Bool("tls-prefer-server-ciphers", false),
        Bool("tls-session-caching", true),
        Text("tls-cert-file", null),
        Text("tls-key-file", null),
        Text("tls-key-file-pass", null),
        Text("tls-client-cert-file", null),
        Text("tls-client-key-file", null),
        Text("tls-client-key-file-pass", null),
        Text("tls-dh-params-file", null),
        Text("tls-ca-cert-file", null),
        Text("tls-ca-cert-dir", null),
        Text("tls-protocols", null),
        Text("tls-ciphers", null),
        Text("tls-ciphersuites", null),
    ];

    private static IEnumerable<ConfigParameter> Specials() =>
    [
        // Ours differs: the data directory cannot change while running.
        new SpecialParameter("dir", null, Immutable | Protected | TakesEffect, (o, v) => { o.Dir = v; return null; }, o => Path.GetFullPath(o.Dir)),
        // Ours differs: no snapshots by default (Redis: 3600 1 300 100 60 10000): every write is already durable in the WAL.
        new SpecialParameter("save", null, MultiArg, SpecialConfigValues.SetSave, o => o.Save),
        new SpecialParameter("client-output-buffer-limit", null, MultiArg | TakesEffect, SpecialConfigValues.SetOutputLimits, SpecialConfigValues.GetOutputLimits),
        new SpecialParameter("oom-score-adj-values", null, MultiArg, SpecialConfigValues.SetOomScoreAdjValues, SpecialConfigValues.GetOomScoreAdjValues),
        new SpecialParameter("notify-keyspace-events", null, TakesEffect, SpecialConfigValues.SetNotifyKeyspaceEvents,
            o => KeyspaceEventFlagsText.Format(o.NotifyKeyspaceEvents)),
        // Ours differs: the addresses cannot change while running.
        new SpecialParameter("bind", null, Immutable | MultiArg | TakesEffect, SpecialConfigValues.SetBind, o => string.Join(' ', o.Bind), SpecialConfigValues.RewriteBind),
        new SpecialParameter("replicaof", "slaveof", Immutable | MultiArg, SpecialConfigValues.SetReplicaOf, SpecialConfigValues.GetReplicaOf, SpecialConfigValues.RewriteReplicaOf),
        new SpecialParameter("latency-tracking-info-percentiles", null, MultiArg | TakesEffect, SpecialConfigValues.SetLatencyPercentiles,
            SpecialConfigValues.GetLatencyPercentiles, SpecialConfigValues.RewriteLatencyPercentiles),
    ];

    private static BoolParameter Bool(string name, bool initial, ConfigFlags flags = None, string? alias = null) =>
        new(name, alias, flags, ConfigSlot<bool>.Stored(name, initial));

    private static StringParameter Text(string name, string? initial, ConfigFlags flags = None, string? alias = null, Func<string, string?>? check = null) =>
        new(name, alias, flags, initial == null, ConfigSlot<string?>.Stored(name, initial), check);

    private static EnumParameter Enum(string name, (string, int)[] choices, int initial, ConfigFlags flags = None, Func<int, string?>? check = null) =>
        new(name, null, flags, choices, ConfigSlot<int>.Stored(name, initial), check);

    private static NumericParameter Int(
        string name, long min, long max, long initial, ConfigFlags flags = None, string? alias = null, NumericFormat format = NumericFormat.Integer, bool unsigned = false) =>
        new(name, alias, flags, min, max, format, unsigned, ConfigSlot<long>.Stored(name, initial));
}
