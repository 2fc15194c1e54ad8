namespace TieredKv.Server.Config;

/// <summary>
/// One of a set of words (any case), each standing for a number; several names may share one (oom-score-adj's yes
/// and relative), and CONFIG GET shows the first. With <see cref="ConfigFlags.MultiArg"/> the value is a set of flags:
/// several words whose numbers are OR-ed, shown as the names that make it up (shutdown-on-sigint "save now").
/// </summary>
internal sealed class EnumParameter(
    string name, string? alias, ConfigFlags flags, (string Name, int Value)[] choices, ConfigSlot<int> slot, Func<int, string?>? check = null)
    : ConfigParameter(name, alias, flags)
{
    public override string? Set(ServerOptions options, string value)
    {
        bool bitFlags = Is(ConfigFlags.MultiArg);
        string[] words = bitFlags ? Words(value) : [value];
        int combined = 0;
        bool valid = words.Length > 0;
        foreach (var word in words)
        {
            var matches = choices.Where(c => string.Equals(c.Name, word, StringComparison.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 0) valid = false;
            foreach (var m in matches) combined |= m.Value;
        }
        if (!valid) return "argument(s) must be one of the following: " + string.Join(", ", choices.Select(c => c.Name));
        if (check?.Invoke(combined) is { } refused) return refused;
        slot.Set(options, combined);
        return null;
    }

    public override string Get(ServerOptions options)
    {
        int value = slot.Get(options);
        foreach (var c in choices)
            if (c.Value == value) return c.Name;
        if (!Is(ConfigFlags.MultiArg)) return "unknown";
        var names = new List<string>();
        int unmatched = value;
        foreach (var c in choices)
            if (c.Value != 0 && (unmatched & c.Value) == c.Value)
            {
                names.Add(c.Name);
                unmatched &= ~c.Value;
            }
        return names.Count == 0 || unmatched != 0 ? "unknown" : string.Join(' ', names);
    }

    public override string? RewriteArguments(ServerOptions options) => Is(ConfigFlags.MultiArg) ? Get(options) : base.RewriteArguments(options);
}
