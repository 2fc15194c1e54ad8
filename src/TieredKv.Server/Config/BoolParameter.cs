namespace TieredKv.Server.Config;

/// <summary>A yes/no parameter (any case); an optional check refuses some values with its own reason.</summary>
internal sealed class BoolParameter(string name, string? alias, ConfigFlags flags, ConfigSlot<bool> slot, Func<bool, string?>? check = null)
    : ConfigParameter(name, alias, flags)
{
    public override string? Set(ServerOptions options, string value)
    {
        bool? parsed = value.ToLowerInvariant() switch { "yes" => true, "no" => false, _ => null };
        if (parsed is not { } yes) return "argument must be 'yes' or 'no'";
        if (check?.Invoke(yes) is { } refused) return refused;
        slot.Set(options, yes);
        return null;
    }

    public override string Get(ServerOptions options) => slot.Get(options) ? "yes" : "no";
}
