using System.Globalization;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;

namespace TieredKv.Server.Config;

/// <summary>
/// The server's settings, by redis.conf names. Set from a config file and command-line flags at
/// start; the ones marked mutable can change with CONFIG SET. The typed properties are what the server reads;
/// <see cref="ConfigTable"/> says how each CONFIG parameter is validated and which property holds it.
/// </summary>
internal sealed class ServerOptions
{
    public int Port { get; set; } = 6379;
    public string[] Bind { get; set; } = ["127.0.0.1"];
    public string Dir { get; set; } = "./data";
    /// <summary>The RDB file SAVE and BGSAVE write, inside <see cref="Dir"/>.</summary>
    public string DbFilename { get; set; } = "dump.rdb";
    public long MaxMemory { get; set; } = 256L << 20;
    public WalSyncPolicy AppendFsync { get; set; } = WalSyncPolicy.EverySec;
    public string? RequirePass { get; set; }
    public int Databases { get; set; } = 16;
    public int MaxClients { get; set; } = 10000;
    public string LogLevel { get; set; } = "notice";
    public bool ProtectedMode { get; set; } = true;
    public long ProtoMaxBulkLen { get; set; } = 512L << 20;
    public long ClientQueryBufferLimit { get; set; } = 1L << 30;
    /// <summary>Which keyspace notifications are published (notify-keyspace-events).</summary>
    public KeyspaceEventFlags NotifyKeyspaceEvents { get; set; }

    /// <summary>client-output-buffer-limit by client class; Redis's defaults.</summary>
    public OutputBufferLimit NormalOutputLimit { get; set; } = new(0, 0, 0);
    public OutputBufferLimit ReplicaOutputLimit { get; set; } = new(256L << 20, 64L << 20, 60); // no replicas here: kept for CONFIG GET
    public OutputBufferLimit PubSubOutputLimit { get; set; } = new(32L << 20, 8L << 20, 60);

    /// <summary>rename-command directives in order: each command's new name, or "" to disable it.</summary>
    public List<(string Command, string NewName)> RenamedCommands { get; } = [];

    /// <summary>
    /// Engine sizes, start-up only and not listed by CONFIG GET: tests (the kill -9 torture) shrink them so
    /// memtable flushes, WAL rotations and compactions happen every few seconds. Null keeps the engine's default.
    /// </summary>
    public long? WriteBufferSize { get; set; }

    /// <inheritdoc cref="WriteBufferSize"/>
    public long? LevelBaseSize { get; set; }

    /// <inheritdoc cref="WriteBufferSize"/>
    public long? TargetFileSize { get; set; }

    /// <summary>
    /// An RDB file to load at start into an empty store (tieredkv-import-rdb, start-up only): the server refuses
    /// to start when any database holds keys or the file is damaged. Null imports nothing.
    /// </summary>
    public string? ImportRdb { get; set; }

    /// <summary>
    /// tieredkv-recovery (start-up only): <c>strict</c> (the default) refuses to start on damaged or missing files,
    /// naming them; <c>salvage</c> starts without what is damaged and logs exactly what was lost.
    /// </summary>
    public WalRecoveryMode Recovery { get; set; } = WalRecoveryMode.Strict;

    /// <summary>The engine's file layer; tests put a fault-injecting one here. Null is the local disk. Not a config name.</summary>
    public IFileSystem? FileSystem { get; set; }

    /// <summary>Where CONFIG REWRITE writes; null when started without a config file.</summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// save: snapshot points as "seconds changes" pairs. Stored and reported only: every write is already durable in
    /// the WAL, so ours saves no snapshot on a schedule (and so defaults to none).
    /// </summary>
    public string Save { get; set; } = "";

    /// <summary>busy-reply-threshold (lua-time-limit): milliseconds a script runs before other clients are answered BUSY and SCRIPT KILL may stop it.</summary>
    public long BusyReplyThreshold { get; set; } = 5000;

    /// <summary>slowlog-log-slower-than: microseconds a command must take to be logged; -1 logs none, 0 every command.</summary>
    public long SlowlogLogSlowerThan { get; set; } = 10000;

    /// <summary>slowlog-max-len: how many entries the slow log keeps.</summary>
    public long SlowlogMaxLen { get; set; } = 128;

    /// <summary>latency-monitor-threshold: milliseconds an event must take to be sampled by LATENCY; 0 turns it off.</summary>
    public long LatencyMonitorThreshold { get; set; }

    /// <summary>latency-tracking-info-percentiles: the percentiles INFO latencystats reports.</summary>
    public double[] LatencyTrackingInfoPercentiles { get; set; } = [50, 99, 99.9];

    /// <summary>tracking-table-max-keys: how many keys client-side caching tracks before evicting; 0 is no limit.</summary>
    public long TrackingTableMaxKeys { get; set; } = 1_000_000;

    /// <summary>hash-max-listpack-entries: the most fields a hash Redis keeps as a listpack has (OBJECT ENCODING).</summary>
    public long HashMaxListpackEntries { get; set; } = 512;

    /// <summary>hash-max-listpack-value: the longest field or value, in bytes, of a listpack hash.</summary>
    public long HashMaxListpackValue { get; set; } = 64;

    /// <summary>zset-max-listpack-entries: the most members a sorted set Redis keeps as a listpack has.</summary>
    public long ZSetMaxListpackEntries { get; set; } = 128;

    /// <summary>zset-max-listpack-value: the longest member, in bytes, of a listpack sorted set.</summary>
    public long ZSetMaxListpackValue { get; set; } = 64;

    /// <summary>set-max-intset-entries: the most members a set of integers Redis keeps as an intset has.</summary>
    public long SetMaxIntsetEntries { get; set; } = 512;

    /// <summary>The values of the parameters that are accepted and ignored (see <see cref="ConfigTable"/>), by name; absent ones are at their default.</summary>
    public Dictionary<string, object?> StoredValues { get; } = new(StringComparer.Ordinal);

    /// <summary>Every name CONFIG GET * lists: primary names and aliases.</summary>
    public static IReadOnlyList<string> ParameterNames => ConfigRegistry.Instance.VisibleNames;

    /// <summary>Settings CONFIG SET may not change while running.</summary>
    public static bool IsImmutable(string name) => ConfigRegistry.Instance.TryGet(name, out var p) && p.Is(ConfigFlags.Immutable);

    /// <summary>Directives only a config file or the command line may give; CONFIG SET does not know them (as Redis's rename-command).</summary>
    public static bool IsStartupOnly(string name) =>
        name is "rename-command" or "tieredkv-write-buffer-size" or "tieredkv-level-base-size" or "tieredkv-target-file-size" or "tieredkv-import-rdb"
            or "tieredkv-recovery";

    /// <summary>The value of a setting as CONFIG GET shows it, or null when unknown.</summary>
    public string? Get(string name) => ConfigRegistry.Instance.TryGet(name, out var p) ? p.Get(this) : null;

    /// <summary>An integer parameter kept only as a stored value (timeout, tcp-keepalive, tcp-backlog …).</summary>
    public long GetInteger(string name) => long.Parse(Get(name) ?? throw new ArgumentException($"no parameter {name}"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Sets a setting from a config file or the command line (immutable ones too); returns an error message or null.</summary>
    public string? Set(string name, string value)
    {
        if (ConfigRegistry.Instance.TryGet(name, out var parameter))
            return parameter.Set(this, value) is { } reason ? $"'{name} {value}': {reason}" : null;
        try
        {
            switch (name)
            {
                case "tieredkv-write-buffer-size": WriteBufferSize = ParseMemory(value); break;
                case "tieredkv-level-base-size": LevelBaseSize = ParseMemory(value); break;
                case "tieredkv-target-file-size": TargetFileSize = ParseMemory(value); break;
                case "tieredkv-import-rdb": ImportRdb = value.Length == 0 ? null : value; break;
                case "tieredkv-recovery":
                    Recovery = value.ToLowerInvariant() switch
                    {
                        "strict" => WalRecoveryMode.Strict,
                        "salvage" => WalRecoveryMode.Salvage,
                        _ => throw new FormatException("argument must be strict or salvage"),
                    };
                    break;
                case "rename-command": return AddRenamedCommand(value);
                default: return $"Bad directive or wrong number of arguments: '{name}'";
            }
            return null;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return $"Invalid argument '{value}' for '{name}' - {e.Message}";
        }
    }

    /// <summary><c>rename-command NAME NEWNAME</c>; NEWNAME <c>""</c> disables the command. Checked against the command table at start.</summary>
    private string? AddRenamedCommand(string value)
    {
        var words = ConfigWords.Split(value);
        if (words.Count != 2) return "wrong number of arguments for rename-command: rename-command <command> <new name>";
        RenamedCommands.Add((words[0], words[1]));
        return null;
    }

    /// <summary>Sizes as redis.conf writes them: 1024, 1k, 1kb, 1m, 1mb, 1g, 1gb (k = 1000, kb = 1024).</summary>
    public static long ParseMemory(string value)
    {
        string v = value.Trim().ToLowerInvariant();
        (string suffix, long factor)[] units = [("gb", 1L << 30), ("mb", 1L << 20), ("kb", 1L << 10), ("g", 1_000_000_000), ("m", 1_000_000), ("k", 1000), ("b", 1)];
        foreach (var (suffix, factor) in units)
            if (v.EndsWith(suffix, StringComparison.Ordinal))
                return checked(ParseNumber(v[..^suffix.Length]) * factor);
        return ParseNumber(v);
    }

    private static long ParseNumber(string v) =>
        long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) && n >= 0 ? n : throw new FormatException("argument couldn't be parsed into an integer");
}
