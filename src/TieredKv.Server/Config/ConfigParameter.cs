namespace TieredKv.Server.Config;

/// <summary>
/// One CONFIG parameter, as a row of Redis's config table: its name, an optional alias (an older name that
/// reaches the same value), its flags, and how its text is validated, stored and shown. Set returns Redis's
/// reason for refusing a value (what follows "CONFIG SET failed (possibly related to argument 'x') - "), or null.
/// </summary>
internal abstract class ConfigParameter(string name, string? alias, ConfigFlags flags)
{
    public string Name { get; } = name;
    public string? Alias { get; } = alias;
    public ConfigFlags Flags { get; } = flags;

    public bool Is(ConfigFlags flag) => (Flags & flag) != 0;

    /// <summary>Validates <paramref name="value"/> and stores it; the reason it was refused, or null.</summary>
    public abstract string? Set(ServerOptions options, string value);

    /// <summary>The value as CONFIG GET shows it.</summary>
    public abstract string Get(ServerOptions options);

    /// <summary>The directive's arguments as CONFIG REWRITE writes them; null leaves the directive out (an unset string).</summary>
    public virtual string? RewriteArguments(ServerOptions options) => ConfigText.Quote(Get(options));

    /// <summary>A multi-word value split as Redis splits it: on every single space, an empty value being no words.</summary>
    protected static string[] Words(string value) => value.Length == 0 ? [] : value.Split(' ');
}
