using TieredKv.Numbers;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Commands;

/// <summary>
/// The argument indexes of a command line that are keys: its spec's first/last/step positions, and for the
/// commands whose keys move with a numkeys argument or an option (Redis's "movablekeys"), their own rule.
/// COMMAND GETKEYS answers from it, and client-side caching learns which keys a read touched.
/// </summary>
internal static class CommandKeys
{
    /// <summary>Whether the command names keys at all (Redis's doesCommandHaveKeys): fixed positions or a movable-keys rule.</summary>
    public static bool HasKeys(CommandSpec spec) =>
        !KeySpecFlags.NamesNoKeys(spec) && (spec.FirstKey > 0 || NumKeysIndex(spec.Name) > 0 || spec.Name is "georadius" or "georadiusbymember");

    /// <summary>
    /// The key indexes of <paramref name="args"/> (argument 0 is the command, or the container for a subcommand);
    /// null when the arguments cannot name keys (a bad or too large numkeys), as Redis's "Invalid arguments".
    /// </summary>
    public static List<int>? Of(CommandSpec spec, CommandArgs args, int offset)
    {
        int count = args.Count - offset;
        var keys = new List<int>();
        foreach (int i in KeyPositions.Of(spec, count)) keys.Add(offset + i);
        int numKeysIndex = NumKeysIndex(spec.Name);
        if (numKeysIndex > 0)
        {
            if (numKeysIndex >= count || !RedisNumbers.TryParseInteger(args[offset + numKeysIndex], out long n) || n < 1 || n > count - numKeysIndex - 1) return null;
            for (int i = 1; i <= n; i++) keys.Add(offset + numKeysIndex + i);
        }
        else if (spec.Name is "georadius" or "georadiusbymember")
        {
            // STORE and STOREDIST name a destination key; the last one given wins, as in Redis.
            int store = -1;
            for (int i = spec.Name == "georadius" ? 6 : 5; i + 1 < count; i++)
                if (args.Is(offset + i, "STORE"u8) || args.Is(offset + i, "STOREDIST"u8)) store = offset + ++i;
            if (store > 0) keys.Add(store);
        }
        return keys;
    }

    /// <summary>Where the numkeys argument is for the commands that name their keys after one (0 = none).</summary>
    private static int NumKeysIndex(string command) => command switch
    {
        "zunionstore" or "zinterstore" or "zdiffstore" or "blmpop" or "bzmpop" => 2,
        "zunion" or "zinter" or "zdiff" or "zintercard" or "sintercard" or "lmpop" or "zmpop" => 1,
        _ => 0,
    };
}
