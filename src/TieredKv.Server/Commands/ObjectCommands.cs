using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands;

/// <summary>
/// OBJECT (ENCODING, FREQ, IDLETIME, REFCOUNT, HELP and our TIER; MEMORY is <see cref="MemoryCommands"/>): Redis's
/// introspection, answered from what the keyspace knows, with Redis 7.0's names and default thresholds.
/// </summary>
internal static class ObjectCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("object", -2, CommandFlags.ReadOnly, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("object|encoding", 3, CommandFlags.ReadOnly, 2, 2, 1, Encoding),
                new CommandSpec("object|freq", 3, CommandFlags.ReadOnly, 2, 2, 1, Freq),
                new CommandSpec("object|idletime", 3, CommandFlags.ReadOnly, 2, 2, 1, ObjectIdleTime),
                new CommandSpec("object|refcount", 3, CommandFlags.ReadOnly, 2, 2, 1, RefCount),
                new CommandSpec("object|tier", 3, CommandFlags.ReadOnly, 2, 2, 1, c => Reply(c, 0, info => c.Reply.WriteBulk(info.IsHot ? "hot"u8 : "cold"u8))),
                new CommandSpec("object|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, ObjectHelp))),
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
        "HELP",
        "    Prints this help.",
    ];

    /// <summary>Looks the key up (reading up to <paramref name="samples"/> elements) and replies; nil for a missing key, as Redis.</summary>
    internal static void Reply(CommandContext c, int samples, Action<ObjectInfo> reply, bool countLookup = true)
    {
        var info = c.Db.ObjectInfo(c.Args[2], samples, countLookup);
        if (info == null) c.Reply.WriteNull();
        else reply(info);
    }

    /// <summary>
    /// Reads every element of a collection small enough to be in a compact encoding under the current thresholds
    /// (a larger one is not, whatever its elements), so the answer is exact for it.
    /// </summary>
    private static void Encoding(CommandContext c)
    {
        var o = c.Server.Options;
        long samples = Math.Max(Math.Max(o.HashMaxListpackEntries, o.ZSetMaxListpackEntries), o.SetMaxIntsetEntries);
        Reply(c, (int)Math.Min(samples, int.MaxValue - 1), info => c.Reply.WriteBulk(EncodingName(info, o)));
    }

    /// <summary>
    /// The encoding Redis 7.0 chooses for a value of this shape under the thresholds of <paramref name="options"/>:
    /// a hash is a listpack while it has at most hash-max-listpack-entries fields and no field or value longer than
    /// hash-max-listpack-value bytes, a sorted set likewise (zset-max-listpack-*, members only), a set an intset while
    /// all its members are integers and at most set-max-intset-entries (7.0 has no listpack sets); a list is always a
    /// quicklist in 7.0, whatever list-max-listpack-size. Where ours differs: Redis converts one way only (a hash that
    /// grew into a hashtable stays one after deletes) and converts when a write finds a threshold exceeded, so a
    /// lowered threshold changes its answer only at the next write; ours answers from the current contents and thresholds.
    /// </summary>
    internal static string EncodingName(ObjectInfo info, Config.ServerOptions options) => info.Type switch
    {
        KeyType.String => StringEncoding(info.Value),
        KeyType.Hash => info.Count <= options.HashMaxListpackEntries && info.LongestElement <= options.HashMaxListpackValue ? "listpack" : "hashtable",
        KeyType.SortedSet => info.Count <= options.ZSetMaxListpackEntries && info.LongestElement <= options.ZSetMaxListpackValue ? "listpack" : "skiplist",
        KeyType.Set => info.Count <= options.SetMaxIntsetEntries && info.AllIntegers ? "intset" : "hashtable",
        KeyType.Stream => "stream",
        _ => "quicklist",
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

    /// <summary>
    /// Redis shares one object for the integers 0 to 9999 that a string value holds (OBJ_SHARED_INTEGERS,
    /// with the default noeviction policy), reporting its refcount as INT_MAX; every other value has one owner.
    /// </summary>
    private static void RefCount(CommandContext c) => Reply(c, 0, info =>
        c.Reply.WriteInteger(info.Type == KeyType.String && info.Value.Length <= 20 && RedisNumbers.TryParseInteger(info.Value, out long n) && n is >= 0 and < 10000
            ? int.MaxValue
            : 1));

    /// <summary>OBJECT IDLETIME: whole seconds since a command last used the key (see <see cref="KvDatabase.IdleMilliseconds"/>).</summary>
    private static void ObjectIdleTime(CommandContext c)
    {
        if (c.Db.IdleMilliseconds(c.Args[2]) is { } idle) c.Reply.WriteInteger(idle / 1000);
        else c.Reply.WriteNull();
    }

    private static void Freq(CommandContext c) => Reply(c, 0, _ => throw new KvException(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));
}
