using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>CONFIG GET, SET, RESETSTAT, REWRITE and HELP over the parameter table, with Redis 7.0's replies and errors.</summary>
internal static class ConfigCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("config", -2, CommandFlags.Admin, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("config|get", -3, CommandFlags.Admin, 0, 0, 0, Get),
                new CommandSpec("config|set", -4, CommandFlags.Admin, 0, 0, 0, Set),
                new CommandSpec("config|resetstat", 2, CommandFlags.Admin, 0, 0, 0, c => { c.Server.ResetStats(); c.Reply.WriteOk(); }),
                new CommandSpec("config|rewrite", 2, CommandFlags.Admin, 0, 0, 0, Rewrite),
                new CommandSpec("config|help", 2, CommandFlags.None, 0, 0, 0, Help)),
        });
    }

    private static readonly string[] HelpLines =
    [
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    ];

    private static void Help(CommandContext c)
    {
        c.Reply.WriteArrayHeader(HelpLines.Length);
        foreach (var line in HelpLines) c.Reply.WriteSimpleString(line);
    }

    /// <summary>
    /// Each argument is a name, answered under the name as typed (hidden parameters too), or a glob pattern (any
    /// case) over the visible names and aliases. A parameter named twice is answered once.
    /// </summary>
    private static void Get(CommandContext c)
    {
        var registry = ConfigRegistry.Instance;
        var matches = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 2; i < c.ArgCount; i++)
        {
            string pattern = c.Text(i);
            if (pattern.IndexOfAny(['[', '*', '?']) < 0)
            {
                if (!matches.ContainsKey(pattern) && registry.TryGet(pattern, out var parameter)) matches[pattern] = parameter.Get(c.Server.Options);
                continue;
            }
            var lowered = LowerAscii(c.Args[i].ToArray());
            foreach (var name in registry.VisibleNames)
                if (!matches.ContainsKey(name) && GlobPattern.Match(lowered, Encoding.ASCII.GetBytes(name)) && registry.TryGet(name, out var parameter))
                    matches[name] = parameter.Get(c.Server.Options);
        }
        c.Reply.WriteMapHeader(matches.Count);
        foreach (var (name, value) in matches.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            c.Reply.WriteBulk(name);
            c.Reply.WriteBulk(value);
        }
    }

    private static byte[] LowerAscii(byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] is >= (byte)'A' and <= (byte)'Z') bytes[i] |= 0x20;
        return bytes;
    }

    /// <summary>
    /// Name/value pairs, all or nothing: unknown, immutable, protected and repeated names are refused before anything
    /// changes (the first such problem is reported), then the values are set in order and, if one is refused, the
    /// ones already set are put back. An alias and its primary name are different entries, as in Redis.
    /// </summary>
    private static void Set(CommandContext c)
    {
        if ((c.ArgCount & 1) != 0) throw new KvException("ERR syntax error");
        var registry = ConfigRegistry.Instance;
        var options = c.Server.Options;
        var chosen = new List<(string Name, ConfigParameter Parameter, string Value)>();
        string? refusal = null;
        for (int i = 2; i < c.ArgCount; i += 2)
        {
            string typed = c.Text(i);
            if (!registry.TryGet(typed, out var parameter))
            {
                refusal ??= $"ERR Unknown option or number of arguments for CONFIG SET - '{typed}'";
                continue;
            }
            if (refusal != null) continue;
            string name = registry.RegisteredName(typed);
            if (parameter.Is(ConfigFlags.Immutable)) refusal = Failed(typed, "can't set immutable config");
            else if (parameter.Is(ConfigFlags.Protected) && !ProtectedAllowed(c)) refusal = Failed(typed, "can't set protected config");
            else if (chosen.Any(e => e.Name == name)) refusal = Failed(typed, "duplicate parameter");
            else chosen.Add((name, parameter, c.Text(i + 1)));
        }
        if (refusal != null) throw new KvException(refusal);

        var previous = chosen.Select(e => e.Parameter.Get(options)).ToList();
        for (int i = 0; i < chosen.Count; i++)
        {
            if (chosen[i].Parameter.Set(options, chosen[i].Value) is not { } reason) continue;
            for (int j = 0; j <= i; j++) chosen[j].Parameter.Set(options, previous[j]);
            throw new KvException(Failed(chosen[i].Name, reason));
        }
        RuntimeConfig.Apply(c.Server.Store, options, chosen.Select(e => e.Name));
        c.Reply.WriteOk();
    }

    private static string Failed(string name, string reason) => $"ERR CONFIG SET failed (possibly related to argument '{name}') - {reason}";

    /// <summary>enable-protected-configs: yes allows every client, local only clients on this machine.</summary>
    private static bool ProtectedAllowed(CommandContext c) => c.Server.Options.Get("enable-protected-configs") switch
    {
        "yes" => true,
        "local" => c.Client.IsLoopback,
        _ => false,
    };

    private static void Rewrite(CommandContext c)
    {
        if (c.Server.Options.ConfigFile is not { } path) throw new KvException("ERR The server is running without a config file");
        ConfigFile.Rewrite(path, c.Server.Options);
        c.Reply.WriteOk();
    }
}
