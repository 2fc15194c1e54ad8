using TieredKv.Server.Commands.Metadata;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// The key-spec flags of the keys a command line names (COMMAND GETKEYSANDFLAGS), from Redis's key specs in
/// <see cref="CommandMetadataCatalog"/>: the n-th key a command names gets the n-th key spec's flags, the last
/// spec's for the rest (a destination then its sources, a source then its destination, or one range).
/// </summary>
internal static class KeySpecFlags
{
    private const string NotKey = "not_key";

    /// <summary>Whether every key spec names something that is not a key (SPUBLISH's channel): Redis says such a command has no key arguments.</summary>
    public static bool NamesNoKeys(CommandSpec spec)
    {
        var keySpecs = CommandMetadataWriter.Describe(spec).KeySpecs;
        return !keySpecs.IsEmpty && keySpecs.All(k => k.Flags.Contains(NotKey));
    }

    /// <summary>
    /// The flags of the <paramref name="keyOrdinal"/>-th key of <paramref name="spec"/>'s command line (arguments
    /// from <paramref name="offset"/>). SET and BITFIELD flag their key by their options (Redis's variable_flags).
    /// </summary>
    public static IReadOnlyList<string> For(CommandSpec spec, int keyOrdinal, Protocol.CommandArgs args, int offset)
    {
        if (spec.Name is "set" or "bitfield")
        {
            bool writes = false, reads = spec.Name == "bitfield";
            for (int i = offset + 2; i < args.Count; i++)
            {
                if (spec.Name == "set" && args.Is(i, "GET"u8)) reads = true;
                if (spec.Name == "bitfield" && (args.Is(i, "SET"u8) || args.Is(i, "INCRBY"u8))) writes = true;
            }
            if (spec.Name == "set") return reads ? ["RW", "access", "update"] : ["OW", "update"];
            return writes ? ["RW", "access", "update"] : ["RO", "access"];
        }
        var keySpecs = CommandMetadataWriter.Describe(spec).KeySpecs.Where(k => !k.Flags.Contains(NotKey)).ToList();
        if (keySpecs.Count == 0) return ["RO", "access"];
        return keySpecs[Math.Min(keyOrdinal, keySpecs.Count - 1)].Flags;
    }
}
