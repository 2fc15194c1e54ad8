using System.Collections.Frozen;

namespace TieredKv.Server.Config;

/// <summary>
/// The parameters of <see cref="ConfigTable"/> by name, any case. An alias is an entry of its own that reaches the
/// same parameter, as in Redis: CONFIG GET lists both names, and CONFIG SET may set both in one call.
/// </summary>
internal sealed class ConfigRegistry
{
    /// <summary>The one table; it is never changed after it is built.</summary>
    public static ConfigRegistry Instance { get; } = new(ConfigTable.All());

    private readonly FrozenDictionary<string, ConfigParameter> _byName;

    private ConfigRegistry(IEnumerable<ConfigParameter> parameters)
    {
        Parameters = [.. parameters];
        var byName = new Dictionary<string, ConfigParameter>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in Parameters)
        {
            byName.Add(p.Name, p);
            if (p.Alias != null) byName.Add(p.Alias, p);
        }
        _byName = byName.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        VisibleNames = [.. byName.Where(e => !e.Value.Is(ConfigFlags.Hidden)).Select(e => e.Key).Order(StringComparer.Ordinal)];
    }

    /// <summary>Every parameter once, by its primary name, in table order.</summary>
    public IReadOnlyList<ConfigParameter> Parameters { get; }

    /// <summary>The names a glob pattern can match: every primary name and alias except hidden ones.</summary>
    public IReadOnlyList<string> VisibleNames { get; }

    /// <summary>Finds a parameter by its name or alias, in any case.</summary>
    public bool TryGet(string name, out ConfigParameter parameter) => _byName.TryGetValue(name, out parameter!);

    /// <summary>The registered spelling of <paramref name="name"/> (lower case): the primary name or the alias it matched.</summary>
    public string RegisteredName(string name) =>
        TryGet(name, out var p) ? (p.Alias != null && p.Alias.Equals(name, StringComparison.OrdinalIgnoreCase) ? p.Alias : p.Name) : name;
}
