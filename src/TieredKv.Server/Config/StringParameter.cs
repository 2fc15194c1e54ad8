namespace TieredKv.Server.Config;

/// <summary>
/// Free text; an optional check refuses some values with its own reason. When <paramref name="emptyIsUnset"/>, an
/// empty value unsets it (stored as null, shown as "", left out of a rewritten config file), as Redis's
/// EMPTY_STRING_IS_NULL strings.
/// </summary>
internal sealed class StringParameter(
    string name, string? alias, ConfigFlags flags, bool emptyIsUnset, ConfigSlot<string?> slot, Func<string, string?>? check = null)
    : ConfigParameter(name, alias, flags)
{
    public override string? Set(ServerOptions options, string value)
    {
        if (check?.Invoke(value) is { } refused) return refused;
        slot.Set(options, emptyIsUnset && value.Length == 0 ? null : value);
        return null;
    }

    public override string Get(ServerOptions options) => slot.Get(options) ?? "";

    public override string? RewriteArguments(ServerOptions options) => slot.Get(options) is { } value ? ConfigText.Quote(value) : null;
}
