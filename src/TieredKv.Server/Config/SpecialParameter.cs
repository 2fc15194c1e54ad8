namespace TieredKv.Server.Config;

/// <summary>A parameter with its own grammar (save, bind, client-output-buffer-limit …): its set and get are given as functions.</summary>
internal sealed class SpecialParameter(
    string name, string? alias, ConfigFlags flags, Func<ServerOptions, string, string?> set, Func<ServerOptions, string> get,
    Func<ServerOptions, string?>? rewrite = null)
    : ConfigParameter(name, alias, flags)
{
    public override string? Set(ServerOptions options, string value) => set(options, value);

    public override string Get(ServerOptions options) => get(options);

    public override string? RewriteArguments(ServerOptions options)
    {
        if (rewrite != null) return rewrite(options);
        string value = Get(options);
        return Is(ConfigFlags.MultiArg) && value.Length > 0 ? value : ConfigText.Quote(value);
    }
}
