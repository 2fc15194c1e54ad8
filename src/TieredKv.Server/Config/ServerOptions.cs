using System.Globalization;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;

namespace TieredKv.Server.Config;

/// <summary>
/// The server's settings, by redis.conf names. Set from a config file and command-line flags at
/// start; the ones marked mutable can change with CONFIG SET.
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

    /// <summary>slowlog-log-slower-than: microseconds; a command that runs longer is logged. Negative disables the log, 0 logs every command.</summary>
    public long SlowlogLogSlowerThan { get; set; } = 10000;

    /// <summary>slowlog-max-len: how many entries the slow log keeps (the oldest go first).</summary>
    public long SlowlogMaxLen { get; set; } = 128;

    /// <summary>latency-monitor-threshold: milliseconds; an event at least this long is sampled by the latency monitor. 0 turns it off.</summary>
    public long LatencyMonitorThreshold { get; set; }

    /// <summary>latency-tracking-info-percentiles: the percentiles INFO latencystats reports per command.</summary>
    public double[] LatencyTrackingInfoPercentiles { get; set; } = [50.0, 99.0, 99.9];

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

    private static readonly string[] Names =
    [
        "port", "bind", "dir", "maxmemory", "appendfsync", "requirepass", "databases", "maxclients", "loglevel",
        "protected-mode", "proto-max-bulk-len", "client-query-buffer-limit", "notify-keyspace-events", "appendonly", "save",
        "dbfilename", "client-output-buffer-limit",
    ];

    public static IReadOnlyList<string> ParameterNames => Names;

    /// <summary>Settings CONFIG SET may not change while running.</summary>
    public static bool IsImmutable(string name) => name is "port" or "bind" or "dir" or "databases";

    /// <summary>Directives only a config file or the command line may give; CONFIG SET does not know them (as Redis's rename-command).</summary>
    public static bool IsStartupOnly(string name) =>
        name is "rename-command" or "tieredkv-write-buffer-size" or "tieredkv-level-base-size" or "tieredkv-target-file-size" or "tieredkv-import-rdb"
            or "tieredkv-recovery";

    /// <summary>The value of a setting as CONFIG GET shows it, or null when unknown.</summary>
    public string? Get(string name) => name switch
    {
        "port" => Port.ToString(CultureInfo.InvariantCulture),
        "bind" => string.Join(' ', Bind),
        "dir" => Path.GetFullPath(Dir),
        "maxmemory" => MaxMemory.ToString(CultureInfo.InvariantCulture),
        "appendfsync" => AppendFsync switch { WalSyncPolicy.Always => "always", WalSyncPolicy.No => "no", _ => "everysec" },
        "requirepass" => RequirePass ?? "",
        "databases" => Databases.ToString(CultureInfo.InvariantCulture),
        "maxclients" => MaxClients.ToString(CultureInfo.InvariantCulture),
        "loglevel" => LogLevel,
        "protected-mode" => ProtectedMode ? "yes" : "no",
        "proto-max-bulk-len" => ProtoMaxBulkLen.ToString(CultureInfo.InvariantCulture),
        "client-query-buffer-limit" => ClientQueryBufferLimit.ToString(CultureInfo.InvariantCulture),
        "notify-keyspace-events" => KeyspaceEventFlagsText.Format(NotifyKeyspaceEvents),
        "appendonly" => "yes", // the WAL is always on: it is the store
        "save" => "",
        "dbfilename" => DbFilename,
        "client-output-buffer-limit" => $"normal {Format(NormalOutputLimit)} slave {Format(ReplicaOutputLimit)} pubsub {Format(PubSubOutputLimit)}",
        _ => null,
    };

    /// <summary>Sets a setting from its text; returns an error message (without "ERR") or null.</summary>
    public string? Set(string name, string value)
    {
        try
        {
            switch (name)
            {
                case "port": Port = checked((int)ParseNumber(value)); break;
                case "bind": Bind = value.Split(' ', StringSplitOptions.RemoveEmptyEntries); break;
                case "dir": Dir = value; break;
                case "maxmemory": MaxMemory = ParseMemory(value); break;
                case "appendfsync":
                    AppendFsync = value.ToLowerInvariant() switch
                    {
                        "always" => WalSyncPolicy.Always,
                        "everysec" => WalSyncPolicy.EverySec,
                        "no" => WalSyncPolicy.No,
                        _ => throw new FormatException("argument(s) must be one of the following: always, everysec, no"),
                    };
                    break;
                case "requirepass": RequirePass = value.Length == 0 ? null : value; break;
                case "databases": Databases = checked((int)ParseNumber(value)); break;
                case "maxclients": MaxClients = checked((int)ParseNumber(value)); break;
                case "loglevel": LogLevel = value; break;
                case "protected-mode": ProtectedMode = ParseYesNo(value); break;
                case "proto-max-bulk-len": ProtoMaxBulkLen = ParseMemory(value); break;
                case "client-query-buffer-limit": ClientQueryBufferLimit = ParseMemory(value); break;
                case "notify-keyspace-events":
                    if (!KeyspaceEventFlagsText.TryParse(value, out var flags))
                        return "CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
                    NotifyKeyspaceEvents = flags;
                    break;
                case "dbfilename":
                    if (value.Length == 0 || value.Contains('/') || value.Contains('\\'))
                        return "CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename";
                    DbFilename = value;
                    break;
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
                case "client-output-buffer-limit": return SetOutputLimits(value);
                case "rename-command": return AddRenamedCommand(value);
                case "appendonly" or "save": break; // accepted for compatibility: persistence is always on
                default: return $"Unknown option or number of arguments for CONFIG SET - '{name}'";
            }
            return null;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return $"Invalid argument '{value}' for CONFIG SET '{name}' - {e.Message}";
        }
    }

    private static string Format(OutputBufferLimit limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{limit.HardBytes} {limit.SoftBytes} {limit.SoftSeconds}");

    /// <summary>
    /// <c>class hard soft seconds</c>, repeated (classes normal, replica/slave, pubsub); nothing changes
    /// unless every group is valid. The error texts are Redis's.
    /// </summary>
    private string? SetOutputLimits(string value)
    {
        const string prefix = "CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - ";
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length % 4 != 0) return prefix + "Wrong number of arguments in buffer limit configuration.";
        var parsed = new List<(string Class, OutputBufferLimit Limit)>();
        for (int i = 0; i < words.Length; i += 4)
        {
            string kind = words[i].ToLowerInvariant();
            if (kind is not ("normal" or "replica" or "slave" or "pubsub")) return prefix + "Invalid client class specified in buffer limit configuration.";
            try
            {
                long seconds = ParseNumber(words[i + 3]);
                parsed.Add((kind, new OutputBufferLimit(ParseMemory(words[i + 1]), ParseMemory(words[i + 2]), seconds)));
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                return prefix + "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            }
        }
        foreach (var (kind, limit) in parsed)
        {
            if (kind == "normal") NormalOutputLimit = limit;
            else if (kind == "pubsub") PubSubOutputLimit = limit;
            else ReplicaOutputLimit = limit;
        }
        return null;
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

    private static bool ParseYesNo(string v) => v.ToLowerInvariant() switch
    {
        "yes" => true,
        "no" => false,
        _ => throw new FormatException("argument must be 'yes' or 'no'"),
    };
}
