using System.Collections.Immutable;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// COMMAND INFO and DOCS of the commands Redis 7.0.15 does not have (OBJECT TIER, and CLIENT NO-TOUCH and
/// SETINFO, which came with Redis 7.2): generated from our spec, with a summary of our own.
/// </summary>
internal static class OwnCommandMetadata
{
    private static readonly ImmutableDictionary<string, (string Summary, string Group)> Described =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["object|tier"] = ("Returns the storage tier of a key's value: hot (in memory) or cold (read from disk)", "generic"),
            ["client|no-touch"] = ("Controls whether commands sent by the client affect the LRU/LFU of accessed keys", "connection"),
            ["client|setinfo"] = ("Sets information specific to the client or connection", "connection"),
        }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    public static CommandMetadata For(CommandSpec spec)
    {
        var (summary, group) = Described.TryGetValue(spec.Name, out var described)
            ? described
            : ($"The {spec.Name.Replace('|', ' ').ToUpperInvariant()} command", "server");
        bool writes = spec.Flags.HasFlag(CommandFlags.Write);
        ImmutableArray<KeySpec> keySpecs = spec.FirstKey <= 0 ? [] :
        [
            new KeySpec(null, [writes ? "RW" : "RO"],
                new KeySpecBeginSearch("index", spec.FirstKey, null, 0),
                new KeySpecFindKeys("range", spec.LastKey < 0 ? spec.LastKey : spec.LastKey - spec.FirstKey, spec.Step, 0, 0, 0)),
        ];
        return new CommandMetadata(spec.Name, spec.Arity, [.. spec.FlagNames()], spec.FirstKey, spec.LastKey, spec.Step,
            [.. AclCategories(spec)], [], keySpecs,
            new CommandDocs(summary, null, group, null, [], null, null, [], []), []);
    }

    /// <summary>The ACL categories our flags imply, in Redis's order.</summary>
    private static IEnumerable<string> AclCategories(CommandSpec spec)
    {
        if (spec.Flags.HasFlag(CommandFlags.Write)) yield return "@write";
        if (spec.Flags.HasFlag(CommandFlags.ReadOnly)) yield return "@read";
        if (spec.Flags.HasFlag(CommandFlags.Admin)) { yield return "@admin"; yield return "@dangerous"; }
        if (spec.Flags.HasFlag(CommandFlags.PubSub)) yield return "@pubsub";
        yield return spec.Flags.HasFlag(CommandFlags.Fast) ? "@fast" : "@slow";
    }
}
