using TieredKv.Keyspace;
using TieredKv.Server.Commands.Arguments;
using TieredKv.Server.Dispatch;
using TieredKv.Types.SortedSets;

namespace TieredKv.Server.Commands;

/// <summary>The sorted-set commands (Redis's t_zset.c), without the blocking ones.</summary>
internal static class SortedSetCommands
{
    private enum RangeKind { Rank, Score, Lex }

    /// <summary>Members compare as Redis compares them: memcmp, then length.</summary>
    private static readonly Comparer<byte[]> MemberOrder = Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y));

    public static void Register(CommandTable t)
    {
        const CommandFlags WriteFast = CommandFlags.Write | CommandFlags.Fast, ReadFast = CommandFlags.ReadOnly | CommandFlags.Fast;
        const CommandFlags Read = CommandFlags.ReadOnly, Write = CommandFlags.Write;
        t.Add(new("zadd", -4, WriteFast, 1, 1, 1, ZAdd));
        t.Add(new("zincrby", 4, WriteFast, 1, 1, 1, c => c.Reply.WriteDouble(c.Db.ZIncrBy(c.Args[1], c.Float(2), c.Arg(3)))));
        t.Add(new("zrem", -3, WriteFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.ZRem(c.Args[1], c.ArgList(2)))));
        t.Add(new("zcard", 2, ReadFast, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.ZCard(c.Args[1]))));
        t.Add(new("zcount", 4, ReadFast, 1, 1, 1, c => { var (min, max) = ScoreRange.Scores(c, 2, 3); c.Reply.WriteInteger(c.Db.ZCount(c.Args[1], min, max)); }));
        t.Add(new("zlexcount", 4, ReadFast, 1, 1, 1, c => { var (min, max) = ScoreRange.Lex(c, 2, 3); c.Reply.WriteInteger(c.Db.ZLexCount(c.Args[1], min, max)); }));
        t.Add(new("zscore", 3, ReadFast, 1, 1, 1, c => WriteScoreOrNull(c, c.Db.ZScore(c.Args[1], c.Args[2]))));
        t.Add(new("zmscore", -3, ReadFast, 1, 1, 1, ZMScore));
        t.Add(new("zrank", 3, ReadFast, 1, 1, 1, c => WriteIntegerOrNull(c, c.Db.ZRank(c.Args[1], c.Args[2]))));
        t.Add(new("zrevrank", 3, ReadFast, 1, 1, 1, c => WriteIntegerOrNull(c, c.Db.ZRevRank(c.Args[1], c.Args[2]))));
        t.Add(new("zrange", -4, Read, 1, 1, 1, c => Range(c, 1, null, RangeKind.Rank, reverse: null)));
        t.Add(new("zrangestore", -5, Write, 1, 2, 1, c => Range(c, 2, c.Arg(1), RangeKind.Rank, reverse: null)));
        t.Add(new("zrevrange", -4, Read, 1, 1, 1, c => Range(c, 1, null, RangeKind.Rank, reverse: true, legacy: true)));
        t.Add(new("zrangebyscore", -4, Read, 1, 1, 1, c => Range(c, 1, null, RangeKind.Score, reverse: false, legacy: true)));
        t.Add(new("zrevrangebyscore", -4, Read, 1, 1, 1, c => Range(c, 1, null, RangeKind.Score, reverse: true, legacy: true)));
        t.Add(new("zrangebylex", -4, Read, 1, 1, 1, c => Range(c, 1, null, RangeKind.Lex, reverse: false, legacy: true)));
        t.Add(new("zrevrangebylex", -4, Read, 1, 1, 1, c => Range(c, 1, null, RangeKind.Lex, reverse: true, legacy: true)));
        t.Add(new("zremrangebyrank", 4, Write, 1, 1, 1, c => c.Reply.WriteInteger(c.Db.ZRemRangeByRank(c.Args[1], c.Integer(2), c.Integer(3)))));
        t.Add(new("zremrangebyscore", 4, Write, 1, 1, 1, c => { var (min, max) = ScoreRange.Scores(c, 2, 3); c.Reply.WriteInteger(c.Db.ZRemRangeByScore(c.Args[1], min, max)); }));
        t.Add(new("zremrangebylex", 4, Write, 1, 1, 1, c => { var (min, max) = ScoreRange.Lex(c, 2, 3); c.Reply.WriteInteger(c.Db.ZRemRangeByLex(c.Args[1], min, max)); }));
        t.Add(new("zpopmin", -2, WriteFast, 1, 1, 1, c => Pop(c, max: false)));
        t.Add(new("zpopmax", -2, WriteFast, 1, 1, 1, c => Pop(c, max: true)));
        t.Add(new("zmpop", -4, Write, 0, 0, 0, ZMPop));
        t.Add(new("zrandmember", -2, Read, 1, 1, 1, ZRandMember));
        t.Add(new("zunion", -3, Read, 0, 0, 0, c => Combine(c, "zunion", store: false)));
        t.Add(new("zinter", -3, Read, 0, 0, 0, c => Combine(c, "zinter", store: false)));
        t.Add(new("zdiff", -3, Read, 0, 0, 0, c => Combine(c, "zdiff", store: false)));
        t.Add(new("zunionstore", -4, Write, 1, 1, 1, c => Combine(c, "zunionstore", store: true)));
        t.Add(new("zinterstore", -4, Write, 1, 1, 1, c => Combine(c, "zinterstore", store: true)));
        t.Add(new("zdiffstore", -4, Write, 1, 1, 1, c => Combine(c, "zdiffstore", store: true)));
        t.Add(new("zintercard", -3, Read, 0, 0, 0, c => Combine(c, "zintercard", store: false)));
        t.Add(new("zscan", -3, Read, 1, 1, 1, ZScan));
    }

    private static void WriteScoreOrNull(CommandContext c, double? score)
    {
        if (score is { } s) c.Reply.WriteDouble(s);
        else c.Reply.WriteNull();
    }

    private static void WriteIntegerOrNull(CommandContext c, long? value)
    {
        if (value is { } v) c.Reply.WriteInteger(v);
        else c.Reply.WriteNull();
    }

    private static void ZAdd(CommandContext c)
    {
        bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 2;
        for (; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "NX"u8)) nx = true;
            else if (c.Args.Is(i, "XX"u8)) xx = true;
            else if (c.Args.Is(i, "GT"u8)) gt = true;
            else if (c.Args.Is(i, "LT"u8)) lt = true;
            else if (c.Args.Is(i, "CH"u8)) ch = true;
            else if (c.Args.Is(i, "INCR"u8)) incr = true;
            else break;
        }
        int elements = c.ArgCount - i;
        if (elements == 0 || elements % 2 != 0) throw CommandContext.Syntax();
        // The flag checks come before the scores are parsed, in Redis's order.
        if (xx && nx) throw new KvException("ERR XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt)) throw new KvException("ERR GT, LT, and/or NX options at the same time are not compatible");
        if (incr && elements > 2) throw new KvException("ERR INCR option supports a single increment-element pair");
        var entries = new List<(double, byte[])>(elements / 2);
        for (; i < c.ArgCount; i += 2) entries.Add((c.Float(i), c.Arg(i + 1)));
        var result = c.Db.ZAdd(c.Args[1], entries, new ZAddOptions { Nx = nx, Xx = xx, Gt = gt, Lt = lt, Ch = ch, Incr = incr });
        if (incr) WriteScoreOrNull(c, result.Score);
        else c.Reply.WriteInteger(result.Count);
    }

    private static void ZMScore(CommandContext c)
    {
        var scores = c.Db.ZMScore(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(scores.Length);
        foreach (var s in scores) WriteScoreOrNull(c, s);
    }

    /// <summary>
    /// Members with or without scores: RESP2 flat; RESP3 (with scores) an array of [member, score]
    /// pairs, as Redis 7.0 replies. <paramref name="nested"/> overrides that: true nests in RESP2 too
    /// (ZMPOP), false never nests (ZPOPMIN without a count).
    /// </summary>
    internal static void WriteMembers(CommandContext c, IReadOnlyList<(byte[] Member, double Score)> items, bool withScores, bool? nested = null)
    {
        bool pairs = withScores && (nested ?? c.Reply.IsResp3);
        c.Reply.WriteArrayHeader(withScores && !pairs ? items.Count * 2 : items.Count);
        foreach (var (member, score) in items)
        {
            if (pairs) c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(member);
            if (withScores) c.Reply.WriteDouble(score);
        }
    }

    /// <summary>
    /// ZRANGE and its legacy forms, and ZRANGESTORE. <paramref name="keyIndex"/> is the source key; the
    /// legacy commands fix the kind and direction, so BYSCORE/BYLEX/REV are syntax errors there.
    /// </summary>
    private static void Range(CommandContext c, int keyIndex, byte[]? destination, RangeKind kind, bool? reverse, bool legacy = false)
    {
        bool withScores = false, kindGiven = legacy;
        long offset = 0, limit = -1;
        bool limitGiven = false;
        for (int j = keyIndex + 3; j < c.ArgCount; j++)
        {
            int left = c.ArgCount - j - 1;
            if (destination == null && c.Args.Is(j, "WITHSCORES"u8)) withScores = true;
            else if (c.Args.Is(j, "LIMIT"u8) && left >= 2)
            {
                offset = c.Integer(j + 1);
                limit = c.Integer(j + 2);
                limitGiven = true;
                j += 2;
            }
            else if (reverse == null && c.Args.Is(j, "REV"u8)) reverse = true;
            else if (!kindGiven && c.Args.Is(j, "BYLEX"u8)) { kind = RangeKind.Lex; kindGiven = true; }
            else if (!kindGiven && c.Args.Is(j, "BYSCORE"u8)) { kind = RangeKind.Score; kindGiven = true; }
            else throw CommandContext.Syntax();
        }
        bool rev = reverse ?? false;
        // Redis checks LIMIT against the default -1 count, so "LIMIT 0 -1" with a rank range passes.
        if (limitGiven && limit != -1 && kind == RangeKind.Rank)
            throw new KvException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        if (withScores && kind == RangeKind.Lex)
            throw new KvException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        // Reverse score and lex ranges are given max first.
        int minIndex = keyIndex + 1, maxIndex = keyIndex + 2;
        if (rev && kind != RangeKind.Rank) (minIndex, maxIndex) = (maxIndex, minIndex);
        byte[] key = c.Arg(keyIndex);
        if (kind == RangeKind.Rank)
        {
            long start = c.Integer(minIndex), stop = c.Integer(maxIndex);
            if (destination != null) c.Reply.WriteInteger(c.Db.ZRangeStore(destination, key, start, stop, rev));
            else WriteMembers(c, c.Db.ZRangeByRank(key, start, stop, rev), withScores);
        }
        else if (kind == RangeKind.Score)
        {
            var (min, max) = ScoreRange.Scores(c, minIndex, maxIndex);
            // A negative offset selects nothing in Redis (it skips the whole range).
            if (offset < 0) { WriteEmpty(c, destination, key); return; }
            if (destination != null) c.Reply.WriteInteger(c.Db.ZRangeStore(destination, key, min, max, rev, offset, limit));
            else WriteMembers(c, c.Db.ZRangeByScore(key, min, max, rev, offset, limit), withScores);
        }
        else
        {
            var (min, max) = ScoreRange.Lex(c, minIndex, maxIndex);
            if (offset < 0) { WriteEmpty(c, destination, key); return; }
            if (destination != null) c.Reply.WriteInteger(c.Db.ZRangeStore(destination, key, min, max, rev, offset, limit));
            else WriteMembers(c, c.Db.ZRangeByLex(key, min, max, rev, offset, limit), withScores);
        }
    }

    /// <summary>An empty range: still checks the source's type, and ZRANGESTORE still empties its destination.</summary>
    private static void WriteEmpty(CommandContext c, byte[]? destination, byte[] key)
    {
        if (destination != null)
        {
            c.Reply.WriteInteger(c.Db.ZRangeStore(destination, key, 1, 0));
            return;
        }
        c.Db.ZCard(key);
        c.Reply.WriteArrayHeader(0);
    }

    private static void Pop(CommandContext c, bool max)
    {
        if (c.ArgCount > 3) throw CommandContext.Syntax();
        long count = 1;
        if (c.ArgCount == 3)
        {
            count = c.Integer(2, "ERR value is out of range, must be positive");
            if (count < 0) throw new KvException("ERR value is out of range, must be positive");
        }
        var popped = max ? c.Db.ZPopMax(c.Args[1], count) : c.Db.ZPopMin(c.Args[1], count);
        // Only the form with a count nests the pairs (in RESP3).
        WriteMembers(c, popped, withScores: true, nested: c.ArgCount == 3 ? null : false);
    }

    private static void ZMPop(CommandContext c)
    {
        int numKeys = c.NumKeys(1);
        long whereIndex = 2L + numKeys;
        if (whereIndex >= c.ArgCount) throw CommandContext.Syntax();
        bool max;
        if (c.Args.Is((int)whereIndex, "MIN"u8)) max = false;
        else if (c.Args.Is((int)whereIndex, "MAX"u8)) max = true;
        else throw CommandContext.Syntax();
        long count = -1;
        for (int i = (int)whereIndex + 1; i < c.ArgCount; i++)
        {
            if (count == -1 && c.Args.Is(i, "COUNT"u8) && i + 1 < c.ArgCount)
            {
                count = c.Integer(++i, "ERR count should be greater than 0");
                if (count < 1) throw new KvException("ERR count should be greater than 0");
            }
            else throw CommandContext.Syntax();
        }
        if (count == -1) count = 1;
        for (int k = 2; k < whereIndex; k++)
        {
            var popped = max ? c.Db.ZPopMax(c.Args[k], count) : c.Db.ZPopMin(c.Args[k], count);
            if (popped.Count == 0) continue;
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteBulk(c.Args[k]);
            WriteMembers(c, popped, withScores: true, nested: true);
            return;
        }
        c.Reply.WriteNullArray();
    }

    private static void ZRandMember(CommandContext c)
    {
        if (c.ArgCount == 2)
        {
            c.Reply.WriteBulkOrNull(c.Db.ZRandMember(c.Args[1]));
            return;
        }
        bool withScores = false;
        if (c.ArgCount == 4 && c.Args.Is(3, "WITHSCORES"u8)) withScores = true;
        else if (c.ArgCount > 3) throw CommandContext.Syntax();
        long count = c.RandomCount(2, withScores);
        // Unlike HRANDFIELD, ZRANDMEMBER … WITHSCORES bounds a positive count to LONG_MAX/2 as well.
        if (withScores && count > long.MaxValue / 2) throw new KvException("ERR value is out of range");
        WriteMembers(c, c.Db.ZRandMember(c.Args[1], count), withScores);
    }

    /// <summary>ZUNION/ZINTER/ZDIFF, their STORE forms and ZINTERCARD: numkeys, keys, then WEIGHTS/AGGREGATE/WITHSCORES/LIMIT.</summary>
    private static void Combine(CommandContext c, string name, bool store)
    {
        bool diff = name.StartsWith("zdiff", StringComparison.Ordinal), card = name == "zintercard";
        int numKeysIndex = store ? 2 : 1;
        long setCount = c.Integer(numKeysIndex);
        if (setCount < 1) throw new KvException($"ERR at least 1 input key is needed for '{name}' command");
        if (setCount > c.ArgCount - (numKeysIndex + 1)) throw CommandContext.Syntax();
        int n = (int)setCount;
        var keys = new List<byte[]>(n);
        for (int i = 0; i < n; i++) keys.Add(c.Arg(numKeysIndex + 1 + i));
        double[]? weights = null;
        var aggregate = ZAggregate.Sum;
        bool withScores = false;
        long limit = 0;
        for (int j = numKeysIndex + 1 + n; j < c.ArgCount;)
        {
            int remaining = c.ArgCount - j;
            if (!diff && !card && remaining > n && c.Args.Is(j, "WEIGHTS"u8))
            {
                j++;
                weights = new double[n];
                for (int i = 0; i < n; i++, j++) weights[i] = c.Float(j, "ERR weight value is not a float");
            }
            else if (!diff && !card && remaining >= 2 && c.Args.Is(j, "AGGREGATE"u8))
            {
                if (c.Args.Is(j + 1, "SUM"u8)) aggregate = ZAggregate.Sum;
                else if (c.Args.Is(j + 1, "MIN"u8)) aggregate = ZAggregate.Min;
                else if (c.Args.Is(j + 1, "MAX"u8)) aggregate = ZAggregate.Max;
                else throw CommandContext.Syntax();
                j += 2;
            }
            else if (!store && !card && c.Args.Is(j, "WITHSCORES"u8))
            {
                withScores = true;
                j++;
            }
            else if (card && remaining >= 2 && c.Args.Is(j, "LIMIT"u8))
            {
                limit = c.Integer(j + 1, "ERR LIMIT can't be negative");
                if (limit < 0) throw new KvException("ERR LIMIT can't be negative");
                j += 2;
            }
            else throw CommandContext.Syntax();
        }
        if (card)
        {
            c.Reply.WriteInteger(c.Db.ZInterCard(keys, limit));
            return;
        }
        if (store)
        {
            byte[] destination = c.Arg(1);
            long size = name switch
            {
                "zunionstore" => c.Db.ZUnionStore(destination, keys, weights, aggregate),
                "zinterstore" => c.Db.ZInterStore(destination, keys, weights, aggregate),
                _ => c.Db.ZDiffStore(destination, keys),
            };
            c.Reply.WriteInteger(size);
            return;
        }
        var result = name switch
        {
            "zunion" => c.Db.ZUnion(keys, weights, aggregate),
            "zinter" => c.Db.ZInter(keys, weights, aggregate),
            _ => c.Db.ZDiff(keys),
        };
        WriteMembers(c, result, withScores);
    }

    private static void ZScan(CommandContext c)
    {
        var scan = ScanArguments.Parse(c, 2);
        var page = c.Db.ZScan(c.Args[1], scan.Cursor, scan.Pattern, scan.Count);
        var entries = page.Entries;
        // A scan done in one step lists the members in score order, as Redis's listpack encoding of
        // small sorted sets does; pages of a longer scan stay in member order (Redis's is its hash order).
        if (scan.Cursor == 0 && page.Cursor == 0)
            entries = [.. entries.OrderBy(e => e.Score).ThenBy(e => e.Member, MemberOrder)];
        ScanArguments.WriteCursor(c, page.Cursor);
        // SCAN replies are strings throughout: scores go as bulk strings even in RESP3.
        c.Reply.WriteArrayHeader(entries.Count * 2);
        foreach (var (member, score) in entries)
        {
            c.Reply.WriteBulk(member);
            c.Reply.WriteBulk(Protocol.RespWriter.FormatDouble(score));
        }
    }

}
