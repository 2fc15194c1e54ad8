using TieredKv.Numbers;
using TieredKv.Server.Dispatch.Metadata;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Dispatch;

/// <summary>One key a command line names: its argument index and the flags of the key spec that found it (RO access …).</summary>
internal readonly record struct KeyReference(int Index, IReadOnlyList<string> Flags);

/// <summary>
/// The arguments of a command line that are keys, found as Redis 7.0's getKeysFromCommandWithSpecs finds them: by
/// the command's key specs (<see cref="CommandMetadataCatalog"/>), and where those cannot say (SET and BITFIELD,
/// whose flags depend on their options; a count or keyword the specs find invalid) by the rule Redis's own
/// key procedure follows. COMMAND GETKEYS answers from it, and client-side caching learns which keys a read touched.
/// </summary>
internal static class CommandKeys
{
    private const string NotKey = "not_key";
    private static readonly string[] ReadAccess = ["RO", "access"], ReadWrite = ["RW", "access", "update"], Overwrite = ["OW", "update"];

    /// <summary>Whether the command names keys at all (Redis's doesCommandHaveKeys): a key spec that is not a channel's.</summary>
    public static bool HasKeys(CommandSpec spec) => CommandMetadataWriter.Describe(spec).KeySpecs.Any(k => !k.Flags.Contains(NotKey));

    /// <summary>Whether the command may name no key at all (Redis's no_mandatory_keys: EVAL with 0 keys).</summary>
    public static bool KeysOptional(CommandSpec spec) => CommandMetadataWriter.Describe(spec).Flags.Contains("no_mandatory_keys");

    /// <summary>
    /// The key indexes of <paramref name="args"/> (argument 0 is the command, or the container for a subcommand);
    /// null when the arguments cannot name keys (a bad or too large numkeys), as Redis's "Invalid arguments".
    /// </summary>
    public static List<int>? Of(CommandSpec spec, CommandArgs args, int offset) => Find(spec, args, offset)?.ConvertAll(k => k.Index);

    /// <summary>As <see cref="Of"/>, with each key's flags.</summary>
    public static List<KeyReference>? Find(CommandSpec spec, CommandArgs args, int offset)
    {
        var keySpecs = CommandMetadataWriter.Describe(spec).KeySpecs;
        bool specsDecide = keySpecs.Any(k => !k.Flags.Contains(NotKey)) && !keySpecs.Any(k => k.Flags.Contains("variable_flags"));
        if (specsDecide && FromKeySpecs(keySpecs, spec.Arity, args, offset) is { } found) return found;
        return ByProcedure(spec, args, offset);
    }

    /// <summary>Redis's getKeysUsingKeySpecs: each key spec in turn; null when one is invalid for these arguments.</summary>
    private static List<KeyReference>? FromKeySpecs(IEnumerable<KeySpec> keySpecs, int arity, CommandArgs args, int offset)
    {
        int argc = args.Count - offset;
        var keys = new List<KeyReference>();
        foreach (var k in keySpecs)
        {
            if (k.Flags.Contains(NotKey)) continue;
            int first = 0;
            if (k.BeginSearch.Type == "index") first = k.BeginSearch.Index;
            else if (k.BeginSearch.Type == "keyword")
            {
                int from = k.BeginSearch.StartFrom, start = from > 0 ? from : argc + from, end = from > 0 ? argc - 1 : 1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1)
                {
                    if (i >= argc || i < 1) break;
                    if (string.Equals(args.ToText(offset + i), k.BeginSearch.Keyword, StringComparison.OrdinalIgnoreCase))
                    {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) continue; // no keyword: this spec names no key
            }
            else return null;

            int last, step;
            if (k.FindKeys.Type == "range")
            {
                step = k.FindKeys.KeyStep;
                if (k.FindKeys.LastKey >= 0) last = first + k.FindKeys.LastKey;
                else if (k.FindKeys.Limit == 0) last = argc + k.FindKeys.LastKey;
                else last = first + ((argc - first) / k.FindKeys.Limit + k.FindKeys.LastKey);
            }
            else if (k.FindKeys.Type == "keynum")
            {
                step = k.FindKeys.KeyStep;
                if (k.FindKeys.KeyNumIndex >= argc || first + k.FindKeys.KeyNumIndex >= argc) return null;
                if (!RedisNumbers.TryParseInteger(args[offset + first + k.FindKeys.KeyNumIndex], out long count) || count < 0) return null;
                first += k.FindKeys.FirstKey;
                last = (int)Math.Min(int.MaxValue, first + count - 1);
            }
            else return null;

            if (last >= argc || last < first || first >= argc) return null;
            for (int i = first; i <= last; i += step)
            {
                if (i >= argc && arity < 0) continue;
                keys.Add(new KeyReference(offset + i, k.Flags));
            }
            if (k.Flags.Contains("incomplete")) return null;
        }
        return keys;
    }

    /// <summary>The rule of Redis's own key procedure for the commands whose key specs cannot decide (or none: null).</summary>
    private static List<KeyReference>? ByProcedure(CommandSpec spec, CommandArgs args, int offset)
    {
        int argc = args.Count - offset;
        switch (spec.Name)
        {
            case "set":
                // SET key value [options]: GET anywhere among the options makes it read the key.
                for (int i = 3; i < argc; i++)
                    if (args.Is(offset + i, "GET"u8)) return [new(offset + 1, ReadWrite)];
                return [new(offset + 1, Overwrite)];
            case "bitfield":
                return [new(offset + 1, BitFieldReadsOnly(args, offset) ? ReadAccess : ReadWrite)];
            case "georadius" or "georadiusbymember":
            {
                // STORE and STOREDIST name a destination key; the last one given wins.
                var keys = new List<KeyReference> { new(offset + 1, ReadAccess) };
                int store = -1;
                for (int i = spec.Name == "georadius" ? 6 : 5; i + 1 < argc; i++)
                    if (args.Is(offset + i, "STORE"u8) || args.Is(offset + i, "STOREDIST"u8)) store = offset + ++i;
                if (store > 0) keys.Add(new(store, Overwrite));
                return keys;
            }
            case "sort_ro":
                return [new(offset + 1, ReadAccess)];
            case "sort":
            {
                // SORT key [BY p] [LIMIT o c] [GET p …] [STORE dest]: the words after BY, LIMIT and GET are skipped.
                var keys = new List<KeyReference> { new(offset + 1, ReadAccess) };
                int store = -1;
                for (int i = 2; i < argc; i++)
                {
                    if (args.Is(offset + i, "LIMIT"u8)) i += 2;
                    else if (args.Is(offset + i, "GET"u8) || args.Is(offset + i, "BY"u8)) i += 1;
                    else if (args.Is(offset + i, "STORE"u8) && i + 1 < argc) store = offset + ++i;
                }
                if (store > 0) keys.Add(new(store, Overwrite));
                return keys;
            }
        }
        // Any other command has no key procedure in Redis: when its specs are invalid for these arguments
        // (PFMERGE with no source, a bad numkeys), it names no key.
        return null;
    }

    /// <summary>Redis's bitfieldGetKeys: read-only while every operation is a whole GET or OVERFLOW; anything else (SET, INCRBY, an error) writes.</summary>
    private static bool BitFieldReadsOnly(CommandArgs args, int offset)
    {
        int argc = args.Count - offset;
        for (int i = 2; i < argc; i++)
        {
            int remaining = argc - i - 1;
            if (args.Is(offset + i, "GET"u8) && remaining >= 2) i += 2;
            else if (args.Is(offset + i, "OVERFLOW"u8) && remaining >= 1) i += 1;
            else return false;
        }
        return true;
    }
}
