using System.Text;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// INFO [section ...]: Redis 7's sections in Redis's order, chosen as Redis chooses them: none or <c>default</c>
/// for the default ones, <c>all</c> for every section, <c>everything</c> for every section including module ones
/// (we have none), or any mix of names (any case; unknown names add nothing). Our own <c>tieredkv</c> section is a default one.
/// </summary>
internal static class InfoCommand
{
    private static readonly string[] Order =
    [
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
        "commandstats", "errorstats", "latencystats", "cluster", "tieredkv", "keyspace",
    ];

    private static readonly HashSet<string> Default =
    [
        "server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules", "errorstats", "cluster", "tieredkv", "keyspace",
    ];

    public static void Register(CommandTable t) => t.Add(new("info", -1, CommandFlags.None, 0, 0, 0, Info));

    private static void Info(CommandContext c)
    {
        var wanted = Sections(c);
        var info = new InfoSections(c.Server);
        var sb = new StringBuilder();
        foreach (var name in Order)
        {
            if (!wanted.Contains(name)) continue;
            if (sb.Length > 0) sb.Append("\r\n");
            sb.Append("# ").Append(Title(name)).Append("\r\n");
            info.Write(name, sb);
        }
        c.Reply.WriteVerbatim(sb.ToString());
    }

    private static HashSet<string> Sections(CommandContext c)
    {
        if (c.ArgCount == 1) return Default;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 1; i < c.ArgCount; i++)
        {
            string name = c.Text(i).ToLowerInvariant();
            if (name is "all" or "everything") wanted.UnionWith(Order);
            else if (name == "default") wanted.UnionWith(Default);
            else wanted.Add(name);
        }
        return wanted;
    }

    /// <summary>Redis's headers: the name capitalized ("Commandstats", "CPU" being the one all in capitals).</summary>
    private static string Title(string name) => name == "cpu" ? "CPU" : char.ToUpperInvariant(name[0]) + name[1..];
}
