namespace TieredKv.Server.Config;

/// <summary>How a CONFIG parameter behaves, after Redis's config flags, plus whether it changes what this server does.</summary>
[Flags]
internal enum ConfigFlags
{
    None = 0,
    /// <summary>Only a config file or the command line may give it: CONFIG SET refuses it ("can't set immutable config").</summary>
    Immutable = 1,
    /// <summary>CONFIG SET needs enable-protected-configs to allow it ("can't set protected config").</summary>
    Protected = 2,
    /// <summary>Left out of glob matches: CONFIG GET returns it only by its exact name.</summary>
    Hidden = 4,
    /// <summary>The value is several words separated by single spaces (save, bind …).</summary>
    MultiArg = 8,
    /// <summary>Changes this server's behaviour; without it the value is accepted, stored and reported only.</summary>
    TakesEffect = 16,
}
