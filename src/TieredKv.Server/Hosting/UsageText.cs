using TieredKv.Server.Config;

namespace TieredKv.Server.Hosting;

/// <summary>
/// <c>--help</c>: how to start the server and the options a newcomer looks for, grouped, with their defaults; every
/// other redis.conf directive is accepted too (listed at the end, by name).
/// </summary>
internal static class UsageText
{
    private static readonly (string Group, string[] Names)[] Groups =
    [
        ("Network", ["port", "bind", "protected-mode", "maxclients", "timeout", "tcp-keepalive"]),
        ("Data and durability", ["dir", "appendfsync", "databases", "dbfilename", "tieredkv-import-rdb", "tieredkv-recovery"]),
        ("Memory", ["maxmemory", "tieredkv-write-buffer-size", "tieredkv-level-base-size", "tieredkv-target-file-size"]),
        ("Security", ["requirepass", "rename-command", "enable-protected-configs", "enable-debug-command"]),
        ("Logging and process", ["loglevel", "logfile", "pidfile", "daemonize", "slowlog-log-slower-than", "latency-monitor-threshold"]),
        ("Limits", ["proto-max-bulk-len", "client-query-buffer-limit", "client-output-buffer-limit", "busy-reply-threshold"]),
    ];

    private static readonly Dictionary<string, string> ShownDefaults = new(StringComparer.Ordinal)
    {
        ["dir"] = "default ./data",
        ["rename-command"] = "(none)",
        ["tieredkv-import-rdb"] = "(none: an RDB file loaded into an empty store at start)",
        ["tieredkv-recovery"] = "strict (or salvage: start past a damaged WAL tail)",
        ["tieredkv-write-buffer-size"] = "(engine default: memtable size)",
        ["tieredkv-level-base-size"] = "(engine default: level 1 size)",
        ["tieredkv-target-file-size"] = "(engine default: SSTable size)",
    };

    public static string Render()
    {
        var defaults = new ServerOptions();
        var lines = new List<string>
        {
            $"{ServerVersion.Line}",
            "",
            "Usage: tieredkv-server [config-file] [--name value ...]",
            "       tieredkv-server --help | -h",
            "       tieredkv-server --version | -v",
            "",
            "A persistence-first, Redis-compatible server. Without arguments it serves 127.0.0.1:6379 with its data in",
            "./data. The config file is a redis.conf (Redis's own files work: directives that do not apply here are",
            "accepted and logged at start); --name value flags use the same names and win over the file, e.g.",
            "  tieredkv-server /etc/redis/redis.conf --port 7000 --appendfsync always",
            "",
            "Options only on the command line:",
            "  --log-format text|json   console log lines as text (default) or one JSON object per line",
        };
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, names) in Groups)
        {
            lines.Add("");
            lines.Add($"{group}:");
            foreach (string name in names)
            {
                listed.Add(name);
                string shown = ShownDefaults.TryGetValue(name, out string? d) ? d : Shown(defaults.Get(name));
                lines.Add($"  --{name,-28} {shown}");
            }
        }
        lines.Add("");
        lines.Add("Every other Redis 7.0 directive (CONFIG GET * lists them with their values):");
        var others = ServerOptions.ParameterNames.Where(n => !listed.Contains(n)).Order(StringComparer.Ordinal).ToList();
        for (int i = 0; i < others.Count; i += 4) lines.Add("  " + string.Join("  ", others.Skip(i).Take(4).Select(n => n.PadRight(32))).TrimEnd());
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string Shown(string? value) => value switch
    {
        null => "",
        "" => "(empty)",
        _ => $"default {value}",
    };
}
