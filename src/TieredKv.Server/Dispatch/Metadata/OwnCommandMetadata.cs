using System.Collections.Immutable;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Dispatch.Metadata;

/// <summary>
/// COMMAND INFO and DOCS of the commands Redis 7.0.15 does not have (OBJECT TIER; CLIENT NO-TOUCH and SETINFO,
/// which came with Redis 7.2; hash field expiry, which came with Redis 7.4 and 8.0): generated from our spec, with
/// a summary of our own and, for the later Redis commands, their key specs' flags as those versions give them.
/// </summary>
internal static class OwnCommandMetadata
{
    private static readonly ImmutableDictionary<string, (string Summary, string Group)> Described =
        new Dictionary<string, (string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["object|tier"] = ("Returns the storage tier of a key's value: hot (in memory) or cold (read from disk)", "generic"),
            ["client|no-touch"] = ("Controls whether commands sent by the client affect the LRU/LFU of accessed keys", "connection"),
            ["client|setinfo"] = ("Sets information specific to the client or connection", "connection"),
            ["hexpire"] = ("Set expiry for hash field using relative time to expire (seconds)", "hash"),
            ["hpexpire"] = ("Set expiry for hash field using relative time to expire (milliseconds)", "hash"),
            ["hexpireat"] = ("Set expiry for hash field using an absolute Unix timestamp (seconds)", "hash"),
            ["hpexpireat"] = ("Set expiry for hash field using an absolute Unix timestamp (milliseconds)", "hash"),
            ["httl"] = ("Returns the TTL in seconds of a hash field", "hash"),
            ["hpttl"] = ("Returns the TTL in milliseconds of a hash field", "hash"),
            ["hexpiretime"] = ("Returns the expiration time of a hash field as a Unix timestamp, in seconds", "hash"),
            ["hpexpiretime"] = ("Returns the expiration time of a hash field as a Unix timestamp, in msec", "hash"),
            ["hpersist"] = ("Removes the expiration time for each specified field", "hash"),
            ["hgetex"] = ("Get the value of one or more fields of a given hash key, and optionally set their expiration", "hash"),
            ["hsetex"] = ("Set the value of one or more fields of a given hash key, and optionally set their expiration", "hash"),
            ["hgetdel"] = ("Returns the value of a field and deletes it from the hash", "hash"),
        }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Key-spec flags of the commands above that name keys, as their Redis versions' COMMAND INFO gives them.</summary>
    private static readonly ImmutableDictionary<string, string[]> KeyFlags =
        new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["hexpire"] = ["RW", "update"],
            ["hpexpire"] = ["RW", "update"],
            ["hexpireat"] = ["RW", "update"],
            ["hpexpireat"] = ["RW", "update"],
            ["hpersist"] = ["RW", "update"],
            ["hsetex"] = ["RW", "update"],
            ["hgetex"] = ["RW", "access", "update"],
            ["hgetdel"] = ["RW", "access", "delete"],
            ["httl"] = ["RO", "access"],
            ["hpttl"] = ["RO", "access"],
            ["hexpiretime"] = ["RO", "access"],
            ["hpexpiretime"] = ["RO", "access"],
        }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    public static CommandMetadata For(CommandSpec spec)
    {
        var (summary, group) = Described.TryGetValue(spec.Name, out var described)
            ? described
            : ($"The {spec.Name.Replace('|', ' ').ToUpperInvariant()} command", "server");
        bool writes = spec.Flags.HasFlag(CommandFlags.Write);
        ImmutableArray<KeySpec> keySpecs = spec.FirstKey <= 0 ? [] :
        [
            new KeySpec(null, KeyFlags.TryGetValue(spec.Name, out var flags) ? [.. flags] : [writes ? "RW" : "RO"],
                new KeySpecBeginSearch("index", spec.FirstKey, null, 0),
                new KeySpecFindKeys("range", spec.LastKey < 0 ? spec.LastKey : spec.LastKey - spec.FirstKey, spec.Step, 0, 0, 0)),
        ];
        return new CommandMetadata(spec.Name, spec.Arity, [.. spec.FlagNames()], spec.FirstKey, spec.LastKey, spec.Step,
            [.. AclCategories(spec, group)], [], keySpecs,
            new CommandDocs(summary, null, group, null, [], null, null, [], []), []);
    }

    /// <summary>The ACL categories our flags and the command's data type imply, in Redis's order.</summary>
    private static IEnumerable<string> AclCategories(CommandSpec spec, string group)
    {
        if (spec.Flags.HasFlag(CommandFlags.Write)) yield return "@write";
        if (spec.Flags.HasFlag(CommandFlags.ReadOnly)) yield return "@read";
        if (group == "hash") yield return "@hash";
        if (spec.Flags.HasFlag(CommandFlags.Admin)) { yield return "@admin"; yield return "@dangerous"; }
        if (spec.Flags.HasFlag(CommandFlags.PubSub)) yield return "@pubsub";
        yield return spec.Flags.HasFlag(CommandFlags.Fast) ? "@fast" : "@slow";
    }
}
