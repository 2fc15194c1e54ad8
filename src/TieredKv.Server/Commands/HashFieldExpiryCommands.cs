using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// Hash field expiry: Redis 7.4's HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL,
/// HEXPIRETIME, HPEXPIRETIME and HPERSIST, and Redis 8.0's HGETEX, HSETEX and HGETDEL, with their
/// argument checks in Redis's order and words (the type of the key is checked first, except by HSETEX).
/// </summary>
internal static class HashFieldExpiryCommands
{
    private const string MissingFields = "ERR Mandatory argument FIELDS is missing or not at the right position";
    private const string NumFieldsMismatch = "ERR The `numfields` parameter must match the number of arguments";
    private const string NotPositiveFieldCount = "ERR Number of fields must be a positive integer";

    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast, ReadFast = CommandFlags.ReadOnly | CommandFlags.Fast;
        t.Add(new("hexpire", -6, WriteFast, 1, 1, 1, c => HExpire(c, "hexpire", seconds: true, relative: true)));
        t.Add(new("hpexpire", -6, WriteFast, 1, 1, 1, c => HExpire(c, "hpexpire", seconds: false, relative: true)));
        t.Add(new("hexpireat", -6, WriteFast, 1, 1, 1, c => HExpire(c, "hexpireat", seconds: true, relative: false)));
        t.Add(new("hpexpireat", -6, WriteFast, 1, 1, 1, c => HExpire(c, "hpexpireat", seconds: false, relative: false)));
        t.Add(new("httl", -5, ReadFast, 1, 1, 1, c => HTtl(c, seconds: true, remaining: true)));
        t.Add(new("hpttl", -5, ReadFast, 1, 1, 1, c => HTtl(c, seconds: false, remaining: true)));
        t.Add(new("hexpiretime", -5, ReadFast, 1, 1, 1, c => HTtl(c, seconds: true, remaining: false)));
        t.Add(new("hpexpiretime", -5, ReadFast, 1, 1, 1, c => HTtl(c, seconds: false, remaining: false)));
        t.Add(new("hpersist", -5, WriteFast, 1, 1, 1, HPersist));
        t.Add(new("hgetex", -5, WriteFast, 1, 1, 1, HGetEx));
        t.Add(new("hsetex", -6, WriteFast, 1, 1, 1, HSetEx));
        t.Add(new("hgetdel", -5, WriteFast, 1, 1, 1, HGetDel));
    }

    /// <summary>H[P]EXPIRE[AT] key time [NX|XX|GT|LT] FIELDS numfields field …</summary>
    private static void HExpire(CommandContext c, string name, bool seconds, bool relative)
    {
        RequireHashOrNothing(c);
        long expireAt = ExpireTime(c, 2, name, seconds, relative ? c.Db.NowMs : 0);
        var condition = ExpireCondition.Always;
        int numFieldsAt = 4;
        if (c.Args.Is(3, "NX"u8)) condition = ExpireCondition.Nx;
        else if (c.Args.Is(3, "XX"u8)) condition = ExpireCondition.Xx;
        else if (c.Args.Is(3, "GT"u8)) condition = ExpireCondition.Gt;
        else if (c.Args.Is(3, "LT"u8)) condition = ExpireCondition.Lt;
        if (condition != ExpireCondition.Always) numFieldsAt++;
        var fields = Fields(c, numFieldsAt, "ERR Parameter `numFields` should be greater than 0");
        WriteIntegers(c, c.Db.HExpireAt(c.Args[1], expireAt, condition, fields));
    }

    /// <summary>HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME key FIELDS numfields field …</summary>
    private static void HTtl(CommandContext c, bool seconds, bool remaining)
    {
        RequireHashOrNothing(c);
        var fields = Fields(c, 3, NotPositiveFieldCount);
        var results = c.Db.HFieldExpiry(c.Args[1], fields, remaining);
        // Seconds round up, as Redis's (ms + 999) / 1000.
        if (seconds)
            for (int i = 0; i < results.Length; i++)
                if (results[i] >= 0) results[i] = (results[i] + 999) / 1000;
        WriteIntegers(c, results);
    }

    private static void HPersist(CommandContext c)
    {
        RequireHashOrNothing(c);
        WriteIntegers(c, c.Db.HPersist(c.Args[1], Fields(c, 3, NotPositiveFieldCount)));
    }

    private static void HGetDel(CommandContext c)
    {
        RequireHashOrNothing(c);
        WriteBulks(c, c.Db.HGetDel(c.Args[1], Fields(c, 3, NotPositiveFieldCount)));
    }

    /// <summary>HGETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST] FIELDS numfields field …</summary>
    private static void HGetEx(CommandContext c)
    {
        RequireHashOrNothing(c);
        var action = HashFieldTtlAction.None;
        long expireAt = 0;
        int numFieldsAt = 3;
        if (ExpiryOption(c, 2) is { } unit)
        {
            action = HashFieldTtlAction.ExpireAt;
            expireAt = ExpireTime(c, 3, "hgetex", unit.Seconds, unit.Relative ? c.Db.NowMs : 0);
            numFieldsAt = 5;
        }
        else if (c.Args.Is(2, "PERSIST"u8))
        {
            action = HashFieldTtlAction.Persist;
            numFieldsAt = 4;
        }
        WriteBulks(c, c.Db.HGetEx(c.Args[1], Fields(c, numFieldsAt, NotPositiveFieldCount), action, expireAt));
    }

    /// <summary>HSETEX key [FNX|FXX] [EX s | PX ms | EXAT s | PXAT ms | KEEPTTL] FIELDS numfields field value …</summary>
    private static void HSetEx(CommandContext c)
    {
        var condition = HashFieldSetCondition.Always;
        var action = HashFieldTtlAction.None;
        long expireAt = 0;
        for (int i = 2; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "FIELDS"u8))
            {
                if (i >= c.ArgCount - 3) throw CommandContext.WrongArity("hsetex");
                if (!RedisNumbers.TryParseInteger(c.Args[i + 1], out long count) || count < 1 || count > int.MaxValue)
                    throw new KvException("ERR invalid number of fields");
                long remaining = c.ArgCount - i - 2;
                if (remaining % 2 != 0 || count != remaining / 2) throw CommandContext.WrongArity("hsetex");
                var pairs = new List<(byte[], byte[])>((int)count);
                for (int f = i + 2; f < c.ArgCount; f += 2) pairs.Add((c.Arg(f), c.Arg(f + 1)));
                c.Reply.WriteInteger(c.Db.HSetEx(c.Args[1], pairs, condition, action, expireAt) ? 1 : 0);
                return;
            }
            if (ExpiryOption(c, i) is { } unit)
            {
                if (action != HashFieldTtlAction.None) throw OneExpiryOnly();
                if (i >= c.ArgCount - 1) throw new KvException("ERR missing expire time");
                action = HashFieldTtlAction.ExpireAt;
                expireAt = ExpireTime(c, ++i, "hsetex", unit.Seconds, unit.Relative ? c.Db.NowMs : 0);
            }
            else if (c.Args.Is(i, "KEEPTTL"u8))
            {
                if (action != HashFieldTtlAction.None) throw OneExpiryOnly();
                action = HashFieldTtlAction.KeepTtl;
            }
            else if (c.Args.Is(i, "FXX"u8) || c.Args.Is(i, "FNX"u8))
            {
                if (condition != HashFieldSetCondition.Always) throw new KvException("ERR Only one of FXX or FNX arguments can be specified");
                condition = c.Args.Is(i, "FXX"u8) ? HashFieldSetCondition.AllExist : HashFieldSetCondition.NoneExist;
            }
            else throw new KvException($"ERR unknown argument: {c.Text(i)}");
        }
        throw CommandContext.WrongArity("hsetex"); // no FIELDS at all
    }

    private static KvException OneExpiryOnly() => new("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified");

    /// <summary>EX, PX, EXAT or PXAT at <paramref name="index"/>: whether its time is in seconds and relative to now; null for anything else.</summary>
    private static (bool Seconds, bool Relative)? ExpiryOption(CommandContext c, int index)
    {
        if (c.Args.Is(index, "EX"u8)) return (true, true);
        if (c.Args.Is(index, "PX"u8)) return (false, true);
        if (c.Args.Is(index, "EXAT"u8)) return (true, false);
        if (c.Args.Is(index, "PXAT"u8)) return (false, false);
        return null;
    }

    /// <summary>An expiry argument as Redis's parseExpireTime reads it: Unix ms, at most 2^46 − 1.</summary>
    private static long ExpireTime(CommandContext c, int index, string name, bool seconds, long baseMs)
    {
        long value = c.Integer(index);
        if (value < 0) throw new KvException("ERR invalid expire time, must be >= 0");
        var invalid = new KvException($"ERR invalid expire time in '{name}' command");
        const long Max = HashFieldExpiryOperations.MaxExpireAtMs;
        if (seconds)
        {
            if (value > Max / 1000) throw invalid;
            value *= 1000;
        }
        if (value > Max - baseMs) throw invalid;
        return value + baseMs;
    }

    /// <summary>
    /// <c>FIELDS numfields field …</c> with numfields at <paramref name="numFieldsAt"/>: the word, a
    /// count of at least 1 (else <paramref name="countError"/>), and exactly that many fields to the end.
    /// </summary>
    private static List<byte[]> Fields(CommandContext c, int numFieldsAt, string countError)
    {
        if (numFieldsAt > c.ArgCount || !c.Args.Is(numFieldsAt - 1, "FIELDS"u8)) throw new KvException(MissingFields);
        if (numFieldsAt == c.ArgCount) throw CommandContext.WrongArity(c.Text(0).ToLowerInvariant());
        if (!RedisNumbers.TryParseInteger(c.Args[numFieldsAt], out long count) || count < 1) throw new KvException(countError);
        if (count != c.ArgCount - numFieldsAt - 1) throw new KvException(NumFieldsMismatch);
        return c.ArgList(numFieldsAt + 1);
    }

    /// <summary>Redis looks the key up, refusing another type, before it reads the other arguments.</summary>
    private static void RequireHashOrNothing(CommandContext c)
    {
        if (c.Db.Type(c.Args[1]) is not (KeyType.Hash or KeyType.None)) throw new WrongTypeException();
    }

    private static void WriteIntegers(CommandContext c, long[] values)
    {
        c.Reply.WriteArrayHeader(values.Length);
        foreach (long v in values) c.Reply.WriteInteger(v);
    }

    private static void WriteBulks(CommandContext c, byte[]?[] values)
    {
        c.Reply.WriteArrayHeader(values.Length);
        foreach (var v in values) c.Reply.WriteBulkOrNull(v);
    }
}
