namespace TieredKv.Server.Dispatch;

/// <summary>Command properties, as Redis's command table flags them (a subset).</summary>
[Flags]
internal enum CommandFlags
{
    None = 0,
    Write = 1,
    ReadOnly = 2,
    Admin = 4,

    /// <summary>Allowed before AUTH when a password is set.</summary>
    NoAuth = 8,
    Fast = 16,
    PubSub = 32,

    /// <summary>Refused inside MULTI.</summary>
    NoMulti = 64,
}

/// <summary>Runs one command; the context holds its arguments, the client and the reply writer.</summary>
internal delegate void CommandHandler(CommandContext context);

/// <summary>
/// One entry of the command table: Redis's name, arity (negative = at least that many, counting
/// the name), flags and key positions (1-based; a negative last key counts from the end), and the handler.
/// </summary>
internal sealed record CommandSpec(string Name, int Arity, CommandFlags Flags, int FirstKey, int LastKey, int Step, CommandHandler Handler)
{
    /// <summary>Subcommands (CONFIG GET, CLIENT ID …), dispatched by the container's handler.</summary>
    public IReadOnlyDictionary<string, CommandSpec>? Subcommands { get; init; }

    /// <summary>INFO commandstats and latencystats of this command (of a subcommand: its own, as Redis's "config|get").</summary>
    public Monitoring.CommandStatistics Statistics { get; } = new();

    public bool ArityMatches(int argumentCount) => Arity >= 0 ? argumentCount == Arity : argumentCount >= -Arity;

    /// <summary>Redis's flag names for COMMAND INFO.</summary>
    public IEnumerable<string> FlagNames()
    {
        if (Flags.HasFlag(CommandFlags.Write)) yield return "write";
        if (Flags.HasFlag(CommandFlags.ReadOnly)) yield return "readonly";
        if (Flags.HasFlag(CommandFlags.Admin)) yield return "admin";
        if (Flags.HasFlag(CommandFlags.PubSub)) yield return "pubsub";
        if (Flags.HasFlag(CommandFlags.NoAuth)) yield return "no_auth";
        if (Flags.HasFlag(CommandFlags.NoMulti)) yield return "no_multi";
        if (Flags.HasFlag(CommandFlags.Fast)) yield return "fast";
    }
}
