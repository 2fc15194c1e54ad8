using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>
/// OBJECT (ENCODING, FREQ, IDLETIME, REFCOUNT, HELP and our TIER) and MEMORY (USAGE, HELP): Redis's
/// introspection, answered from what the keyspace knows, with Redis 7.0's names and default thresholds.
/// </summary>
internal static class ObjectCommands
{
    private const int HashListpackEntries = 128, HashListpackValue = 64;
    private const int ZSetListpackEntries = 128, ZSetListpackValue = 64;
    private const int SetIntsetEntries = 512;

    public static void Register(CommandTable t)
    {
        t.Add(new("object", -2, CommandFlags.ReadOnly, 0, 0, 0, c => ServerCommands.Sub(c, "object"))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("object|encoding", 3, CommandFlags.ReadOnly, 2, 2, 1, Encoding),
                new CommandSpec("object|freq", 3, CommandFlags.ReadOnly, 2, 2, 1, Freq),
                new CommandSpec("object|idletime", 3, CommandFlags.ReadOnly, 2, 2, 1, ObjectIdleTime),
                new CommandSpec("object|refcount", 3, CommandFlags.ReadOnly, 2, 2, 1, c => Reply(c, 0, _ => c.Reply.WriteInteger(1))),
                new CommandSpec("object|tier", 3, CommandFlags.ReadOnly, 2, 2, 1, c => Reply(c, 0, info => c.Reply.WriteBulk(info.IsHot ? "hot"u8 : "cold"u8))),
                new CommandSpec("object|help", 2, CommandFlags.None, 0, 0, 0, c => Help(c, ObjectHelp))),
        });
        t.Add(new("memory", -2, CommandFlags.ReadOnly, 0, 0, 0, c => ServerCommands.Sub(c, "memory"))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("memory|usage", -3, CommandFlags.ReadOnly, 2, 2, 1, Usage),
                new CommandSpec("memory|help", 2, CommandFlags.None, 0, 0, 0, c => Help(c, MemoryHelp))),
        });
    }

    private static readonly string[] ObjectHelp =
    [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "TIER <key>",
        "    Return \"hot\" when the <key> is in the in-memory hot tier, else \"cold\".",
        "HELP",
        "    Prints this help.",
    ];

    private static readonly string[] MemoryHelp =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    ];

    /// <summary>Redis's help reply: an array of status lines.</summary>
    private static void Help(CommandContext c, string[] lines)
    {
        c.Reply.WriteArrayHeader(lines.Length);
        foreach (var line in lines) c.Reply.WriteSimpleString(line);
    }

    /// <summary>Looks the key up (reading up to <paramref name="samples"/> elements) and replies; nil for a missing key, as Redis.</summary>
    private static void Reply(CommandContext c, int samples, Action<ObjectInfo> reply)
    {
        var info = c.Db.ObjectInfo(c.Args[2], samples);
        if (info == null) c.Reply.WriteNull();
        else reply(info);
    }

    private static void Encoding(CommandContext c) =>
        Reply(c, SetIntsetEntries, info => c.Reply.WriteBulk(EncodingName(info)));

    /// <summary>
    /// The encoding Redis 7.0 would choose for a value of this shape. Redis never converts back to
    /// a compact encoding after growing; we report what the current contents call for.
    /// </summary>
    internal static string EncodingName(ObjectInfo info) => info.Type switch
    {
        KeyType.String => StringEncoding(info.Value),
        KeyType.Hash => info.Count <= HashListpackEntries && info.LongestElement <= HashListpackValue ? "listpack" : "hashtable",
        KeyType.SortedSet => info.Count <= ZSetListpackEntries && info.LongestElement <= ZSetListpackValue ? "listpack" : "skiplist",
        KeyType.Set => info.Count <= SetIntsetEntries && info.AllIntegers ? "intset" : "hashtable",
        _ => "quicklist", // Redis 7.0 keeps every list in a quicklist
    };

    /// <summary>
    /// As SET stores a value: a 64-bit integer of up to 20 characters as int, up to 44 bytes inline
    /// (embstr), else raw. An HLL string is raw however short, as PFADD and PFMERGE build it (one
    /// SET from another server's GET would still be embstr in Redis until the next PFADD).
    /// </summary>
    private static string StringEncoding(byte[] value)
    {
        if (HyperLogLogOperations.IsHyperLogLog(value)) return "raw";
        if (value.Length <= 20 && RedisNumbers.TryParseInteger(value, out _)) return "int";
        return value.Length <= 44 ? "embstr" : "raw";
    }

    /// <summary>OBJECT IDLETIME: whole seconds since a command last used the key (see <see cref="KvDatabase.IdleMilliseconds"/>).</summary>
    private static void ObjectIdleTime(CommandContext c)
    {
        if (c.Db.IdleMilliseconds(c.Args[2]) is { } idle) c.Reply.WriteInteger(idle / 1000);
        else c.Reply.WriteNull();
    }

    private static void Freq(CommandContext c) => Reply(c, 0, _ => throw new KvException(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));

    private static void Usage(CommandContext c)
    {
        long samples = 5;
        for (int j = 3; j < c.ArgCount; j++)
        {
            if (c.Args.Is(j, "SAMPLES"u8) && j + 1 < c.ArgCount)
            {
                samples = c.Integer(++j);
                if (samples < 0) throw CommandContext.Syntax();
                if (samples == 0) samples = int.MaxValue;
            }
            else throw CommandContext.Syntax();
        }
        int keyLength = c.Args[2].Length;
        Reply(c, (int)Math.Min(samples, int.MaxValue), info => c.Reply.WriteInteger(MemoryEstimate.Bytes(keyLength, info)));
    }
}
