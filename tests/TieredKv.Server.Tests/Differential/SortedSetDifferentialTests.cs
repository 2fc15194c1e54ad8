using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Sorted-set commands (blocking ones aside) against real Redis, replies compared byte for byte.</summary>
public sealed class SortedSetDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void AddFlags()
    {
        Same("ZADD", "z", "1", "a", "2", "b", "3", "c");
        Same("ZADD", "z", "NX", "10", "a", "4", "d");
        Same("ZADD", "z", "XX", "10", "a", "5", "e");
        Same("ZADD", "z", "XX", "CH", "11", "a", "2", "b");
        Same("ZADD", "z", "GT", "CH", "5", "a", "20", "b");
        Same("ZADD", "z", "LT", "CH", "5", "a", "30", "b");
        Same("ZADD", "z", "INCR", "2.5", "a");
        Same("ZADD", "z", "NX", "INCR", "2.5", "a");
        Same("ZADD", "z", "XX", "INCR", "1", "nope");
        Same("ZADD", "z", "GT", "INCR", "-1", "a");
        Same("ZADD", "z", "NX", "XX", "1", "a");
        Same("ZADD", "z", "GT", "LT", "1", "a");
        Same("ZADD", "z", "NX", "GT", "1", "a");
        Same("ZADD", "z", "INCR", "1", "a", "2", "b");
        Same("ZADD", "z", "1");
        Same("ZADD", "z", "1", "a", "2");
        Same("ZADD", "z", "CH");
        Same("ZADD", "z", "nan", "a");
        Same("ZADD", "z", "abc", "a");
        Same("ZADD", "z", "inf", "top", "-inf", "bottom", "+inf", "top2");
        Same("ZADD", "z", "0.1", "tenth", "1e300", "huge", "-0", "negzero", "123456789012345678", "long");
        Same("ZADD", "z", "INCR", "-inf", "top");
        Same("ZRANGE", "z", "0", "-1", "WITHSCORES");
        Same("ZINCRBY", "z", "1.5", "a");
        Same("ZINCRBY", "z", "1", "new");
        Same("ZINCRBY", "z", "x", "a");
        Same("ZINCRBY", "z", "-inf", "top2");
        Same("ZADD", "z", "XX", "1", "fresh");
        Same("ZADD", "xxonly", "XX", "1", "a");
        Same("EXISTS", "xxonly");
    }

    [SkippableFact]
    public void ScoresRanksCounts()
    {
        Same("ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d", "4.5", "e");
        Same("ZCARD", "z");
        Same("ZCARD", "missing");
        Same("ZSCORE", "z", "e");
        Same("ZSCORE", "z", "nope");
        Same("ZSCORE", "missing", "a");
        Same("ZMSCORE", "z", "a", "nope", "e");
        Same("ZMSCORE", "missing", "a");
        Same("ZRANK", "z", "c");
        Same("ZREVRANK", "z", "c");
        Same("ZRANK", "z", "nope");
        Same("ZRANK", "missing", "a");
        Same("ZCOUNT", "z", "2", "3");
        Same("ZCOUNT", "z", "(2", "3");
        Same("ZCOUNT", "z", "-inf", "+inf");
        Same("ZCOUNT", "z", "(1", "(1");
        Same("ZCOUNT", "z", "x", "3");
        Same("ZCOUNT", "z", "1", "(x");
        Same("ZCOUNT", "missing", "0", "1");
        Same("ZREM", "z", "a", "nope");
        Same("ZREM", "missing", "a");
        Same("ZADD", "lex", "0", "a", "0", "b", "0", "c", "0", "d");
        Same("ZLEXCOUNT", "lex", "-", "+");
        Same("ZLEXCOUNT", "lex", "[b", "(d");
        Same("ZLEXCOUNT", "lex", "b", "+");
        Same("ZLEXCOUNT", "missing", "-", "+");
    }

    [SkippableFact]
    public void Ranges()
    {
        Same("ZADD", "z", "1", "a", "2", "b", "2", "c", "3", "d", "4.5", "e");
        Same("ZRANGE", "z", "0", "-1");
        Same("ZRANGE", "z", "1", "2", "WITHSCORES");
        Same("ZRANGE", "z", "0", "-1", "REV", "WITHSCORES");
        Same("ZRANGE", "z", "-100", "100");
        Same("ZRANGE", "z", "3", "1");
        Same("ZRANGE", "z", "x", "1");
        Same("ZRANGE", "z", "(1", "3", "BYSCORE");
        Same("ZRANGE", "z", "3", "(1", "BYSCORE", "REV", "WITHSCORES");
        Same("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2");
        Same("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2");
        Same("ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "-1");
        Same("ZRANGE", "z", "0", "-1", "LIMIT", "0", "1");
        Same("ZRANGE", "z", "0", "-1", "LIMIT", "0", "-1");
        Same("ZRANGE", "z", "-", "+", "BYLEX");
        Same("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES");
        Same("ZRANGE", "z", "+", "[c", "BYLEX", "REV", "LIMIT", "0", "2");
        Same("ZRANGE", "z", "a", "+", "BYLEX");
        Same("ZRANGE", "z", "x", "5", "BYSCORE");
        Same("ZRANGE", "z", "0", "1", "BYSCORE", "BYLEX");
        Same("ZRANGE", "z", "0", "1", "REV", "REV");
        Same("ZRANGE", "z", "0", "1", "LIMIT", "1");
        Same("ZRANGE", "z", "0", "1", "BOGUS");
        Same("ZRANGE", "missing", "0", "-1");
        Same("ZREVRANGE", "z", "0", "1", "WITHSCORES");
        Same("ZREVRANGE", "z", "0", "1", "REV");
        Same("ZRANGEBYSCORE", "z", "2", "+inf", "WITHSCORES", "LIMIT", "1", "5");
        Same("ZRANGEBYSCORE", "z", "2", "3", "BYSCORE");
        Same("ZRANGEBYSCORE", "z", "x", "3");
        Same("ZREVRANGEBYSCORE", "z", "+inf", "(2", "WITHSCORES");
        Same("ZREVRANGEBYSCORE", "z", "2", "3");
        Same("ZRANGEBYLEX", "z", "[b", "[d");
        Same("ZRANGEBYLEX", "z", "-", "+", "LIMIT", "1", "1");
        Same("ZRANGEBYLEX", "z", "b", "d");
        Same("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES");
        Same("ZREVRANGEBYLEX", "z", "+", "-");
        Same("ZREVRANGEBYLEX", "z", "(d", "[a", "LIMIT", "0", "2");
    }

    [SkippableFact]
    public void RangeStoreAndRemoveRanges()
    {
        Same("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        Same("ZRANGESTORE", "dst", "z", "1", "3");
        Same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        Same("ZRANGESTORE", "dst", "z", "(1", "4", "BYSCORE", "REV", "LIMIT", "0", "2");
        Same("ZRANGESTORE", "dst", "z", "4", "(1", "BYSCORE", "REV", "LIMIT", "0", "2");
        Same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        Same("ZRANGESTORE", "dst", "z", "[b", "[d", "BYLEX");
        Same("ZRANGESTORE", "dst", "z", "0", "-1", "WITHSCORES");
        Same("ZRANGESTORE", "dst", "missing", "0", "-1");
        Same("EXISTS", "dst");
        Same("ZRANGESTORE", "dst", "z", "5", "1");
        Same("ZREMRANGEBYRANK", "z", "0", "0");
        Same("ZREMRANGEBYRANK", "z", "x", "0");
        Same("ZREMRANGEBYSCORE", "z", "(2", "3");
        Same("ZREMRANGEBYSCORE", "z", "x", "3");
        Same("ZREMRANGEBYLEX", "z", "[d", "+");
        Same("ZREMRANGEBYLEX", "z", "d", "+");
        Same("ZRANGE", "z", "0", "-1", "WITHSCORES");
        Same("ZREMRANGEBYRANK", "z", "0", "-1");
        Same("EXISTS", "z");
        Same("ZREMRANGEBYRANK", "missing", "0", "-1");
    }

    [SkippableFact]
    public void PopAndRandom()
    {
        Same("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        Same("ZPOPMIN", "z");
        Same("ZPOPMAX", "z");
        Same("ZPOPMIN", "z", "0");
        Same("ZPOPMIN", "z", "-1");
        Same("ZPOPMIN", "z", "x");
        Same("ZPOPMIN", "z", "1", "2");
        Same("ZPOPMAX", "z", "5");
        Same("ZPOPMIN", "missing");
        Same("ZPOPMIN", "missing", "2");
        Same("ZADD", "z", "1", "a", "2", "b", "3", "c");
        Same("ZMPOP", "2", "missing", "z", "MIN");
        Same("ZMPOP", "1", "z", "MAX", "COUNT", "5");
        Same("ZMPOP", "1", "z", "MAX");
        Same("ZMPOP", "0", "z", "MAX");
        Same("ZMPOP", "1", "z", "UP");
        Same("ZMPOP", "1", "z", "MIN", "COUNT", "0");
        Same("ZMPOP", "3", "z", "MIN");
        Same("ZRANDMEMBER", "missing");
        Same("ZRANDMEMBER", "missing", "2");
        Same("ZADD", "one", "1.5", "x");
        Same("ZRANDMEMBER", "one");
        Same("ZRANDMEMBER", "one", "-2", "WITHSCORES");
        Same("ZRANDMEMBER", "one", "0");
        Same("ZADD", "r", "1", "a", "2", "b", "3", "c");
        SameUnordered("ZRANDMEMBER", "r", "4");
        SameHeader("ZRANDMEMBER", "r", "-5", "WITHSCORES");
        Same("ZRANDMEMBER", "r", "x");
        Same("ZRANDMEMBER", "r", "2", "WITHSCORE");
        Same("ZRANDMEMBER", "r", "-9223372036854775807", "WITHSCORES");
    }

    [SkippableFact]
    public void SetOperations()
    {
        Same("ZADD", "a", "1", "x", "2", "y", "3", "z");
        Same("ZADD", "b", "10", "y", "20", "z", "30", "w");
        Same("SADD", "s", "x", "w");
        Same("ZUNION", "2", "a", "b", "WITHSCORES");
        Same("ZUNION", "3", "a", "b", "s", "WEIGHTS", "1", "2", "3", "AGGREGATE", "MAX", "WITHSCORES");
        Same("ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES");
        Same("ZINTER", "2", "a", "missing");
        Same("ZDIFF", "2", "a", "b", "WITHSCORES");
        Same("ZDIFF", "2", "a", "b", "WEIGHTS", "1", "2");
        Same("ZUNION", "2", "a", "b", "WEIGHTS", "1");
        Same("ZUNION", "2", "a", "b", "WEIGHTS", "1", "x");
        Same("ZUNION", "2", "a", "b", "AGGREGATE", "AVG");
        Same("ZUNION", "0", "a");
        Same("ZUNION", "3", "a", "b");
        Same("ZUNION", "x", "a");
        Same("ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "2", "0.5");
        Same("ZRANGE", "d", "0", "-1", "WITHSCORES");
        Same("ZINTERSTORE", "d", "2", "a", "s");
        Same("ZRANGE", "d", "0", "-1", "WITHSCORES");
        Same("ZDIFFSTORE", "d", "2", "a", "s");
        Same("ZUNIONSTORE", "d", "2", "a", "b", "WITHSCORES");
        Same("ZUNIONSTORE", "d", "0", "a");
        Same("ZINTERSTORE", "d", "2", "a", "missing");
        Same("EXISTS", "d");
        Same("ZINTERCARD", "2", "a", "b");
        Same("ZINTERCARD", "2", "a", "b", "LIMIT", "1");
        Same("ZINTERCARD", "2", "a", "b", "LIMIT", "-1");
        Same("ZINTERCARD", "0", "a");
        Same("ZINTERCARD", "2", "a", "b", "WITHSCORES");
        Same("ZADD", "inf", "inf", "p", "-inf", "q");
        Same("ZUNION", "2", "inf", "inf", "WEIGHTS", "0", "1", "WITHSCORES");
        Same("SET", "str", "v");
        Same("ZUNION", "2", "a", "str");
        Same("ZINTERSTORE", "d", "2", "a", "str");
    }

    [SkippableFact]
    public void WrongType()
    {
        Setup("SET", "str", "v");
        foreach (var cmd in new[] { "ZADD str 1 a", "ZINCRBY str 1 a", "ZREM str a", "ZCARD str", "ZCOUNT str 0 1", "ZLEXCOUNT str - +",
                     "ZSCORE str a", "ZMSCORE str a", "ZRANK str a", "ZREVRANK str a", "ZRANGE str 0 1", "ZRANGEBYSCORE str 0 1",
                     "ZRANGEBYLEX str - +", "ZREMRANGEBYRANK str 0 1", "ZPOPMIN str", "ZPOPMAX str 2", "ZRANDMEMBER str", "ZSCAN str 0",
                     "ZRANGESTORE d str 0 1", "ZMPOP 1 str MIN", "ZINTERCARD 1 str" })
            Same(cmd.Split(' '));
    }

    [SkippableFact]
    public void Scan()
    {
        Same("ZSCAN", "missing", "0");
        Same("ZSCAN", "z", "x");
        Same("ZADD", "z", "1", "a1", "2.5", "a2", "3", "b1");
        SameScan(true, "ZSCAN", "z");
        SameScan(true, "ZSCAN", "z", "MATCH", "a*", "COUNT", "1");
        Same("ZSCAN", "z", "0", "COUNT", "0");
    }

    [SkippableFact]
    public void LargeSortedSet_MultiBlock()
    {
        var args = new List<string> { "ZADD", "big" };
        for (int i = 0; i < 3000; i++) args.AddRange([(i % 500 * 1.25).ToString(System.Globalization.CultureInfo.InvariantCulture), $"m:{i:D5}:{new string('q', i % 20)}"]);
        Same([.. args]);
        AwaitOursFlushed();
        Same("ZCARD", "big");
        Same("ZRANGE", "big", "0", "-1", "WITHSCORES");
        Same("ZRANGE", "big", "1000", "1100", "REV");
        Same("ZRANGEBYSCORE", "big", "(100", "200", "WITHSCORES", "LIMIT", "10", "30");
        Same("ZREVRANGEBYSCORE", "big", "+inf", "600");
        Same("ZCOUNT", "big", "10", "(20");
        Same("ZRANK", "big", "m:02999:" + new string('q', 2999 % 20));
        Same("ZREVRANK", "big", "m:00000:");
        // Lex ranges are defined only when all scores are equal.
        var lex = new List<string> { "ZADD", "lexbig" };
        for (int i = 0; i < 3000; i++) lex.AddRange(["0", $"m:{i:D5}:{new string('q', i % 20)}"]);
        Same([.. lex]);
        Same("ZRANGEBYLEX", "lexbig", "[m:01000", "(m:01010");
        Same("ZREVRANGEBYLEX", "lexbig", "(m:02000", "-", "LIMIT", "5", "10");
        Same("ZLEXCOUNT", "lexbig", "[m:00500", "+");
        Same("ZREMRANGEBYLEX", "lexbig", "[m:00500", "(m:02500");
        Same("ZRANGE", "lexbig", "0", "-1");
        SameScan(true, "ZSCAN", "big", "COUNT", "250");
        Same("ZREMRANGEBYSCORE", "big", "100", "200");
        Same("ZPOPMAX", "big", "20");
        Same("ZUNIONSTORE", "u", "1", "big", "WEIGHTS", "2");
        Same("ZRANGE", "u", "0", "-1", "WITHSCORES");
    }

    [SkippableFact]
    public void Resp3()
    {
        RequireRedis();
        Setup("HELLO", "3");
        Same("ZADD", "z", "1", "a", "2.5", "b");
        Same("ZADD", "one", "7", "x");
        Same("ZADD", "z", "INCR", "1", "a");
        Same("ZADD", "z", "NX", "INCR", "1", "a");
        Same("ZSCORE", "z", "b");
        Same("ZSCORE", "z", "nope");
        Same("ZMSCORE", "z", "a", "nope");
        Same("ZRANK", "z", "nope");
        Same("ZINCRBY", "z", "0.5", "b");
        Same("ZRANGE", "z", "0", "-1", "WITHSCORES");
        Same("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES");
        Same("ZRANGE", "z", "0", "-1");
        Same("ZUNION", "1", "z", "WITHSCORES");
        SameHeader("ZRANDMEMBER", "z", "-1", "WITHSCORES");
        Same("ZRANDMEMBER", "one", "-1", "WITHSCORES");
        Same("ZSCAN", "z", "0");
        Same("ZPOPMIN", "z");
        Same("ZPOPMIN", "z", "1");
        Same("ZPOPMIN", "missing");
        Same("ZMPOP", "1", "missing", "MIN");
        Same("ZADD", "z", "1", "a", "2", "b");
        Same("ZMPOP", "1", "z", "MIN", "COUNT", "2");
    }

    /// <summary>Extreme integers, odd float literals and repeated options, where Redis's parsing has its quirks.</summary>
    [SkippableFact]
    public void EdgeCases() => SameEach(
            "ZADD z 1 a", "ZADD z CH INCR XX 1 a", "ZADD z GT 0 a", "ZADD z XX GT 5 a", "ZADD z LT INCR 1 a", "ZADD z nx 1 b",
            "ZADD z 1.5e-7 tiny", "ZADD z 0.30000000000000004 p3", "ZRANGE z 0 -1 WITHSCORES", "ZSCORE z tiny",
            "ZRANGE z 0 -1 LIMIT 0 1 WITHSCORES", "ZRANGE z (0 +inf BYSCORE LIMIT 0 0", "ZRANGE z -inf +inf BYSCORE LIMIT 0 x",
            "ZRANGE z -inf +inf BYSCORE LIMIT 0", "ZRANGE z [a + BYLEX LIMIT 0 1 REV", "ZRANGESTORE d z 0 -1 LIMIT 0 1",
            "ZRANGESTORE d z 0 -1 BYSCORE", "ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d z -inf +inf BYSCORE LIMIT -1 1", "EXISTS d",
            "ZREMRANGEBYSCORE z -inf (-inf", "ZCOUNT z +inf -inf", "ZCOUNT z ( 1", "ZCOUNT z ( (", "ZCOUNT z 1e400 1e-400", "ZCOUNT z \t1 \v1e400", "ZCOUNT z 1\t 2", "ZADD z 1e400 a", "ZADD z 1e-400 a", "ZADD z 1e-310 a", "ZSCORE z a", "ZINCRBY z 1e999 a", "ZCOUNT z nan 1", "ZCOUNT z (nan 1", "ZADD z 0e-500 zero", "ZADD z -1e400 a", "ZCOUNT z (inf inf", "ZLEXCOUNT z [ +",
            "ZRANGEBYSCORE z -inf +inf LIMIT 1 1 WITHSCORES", "ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT", "ZPOPMIN z 9223372036854775807",
            "ZADD z 1 a 2 b", "ZMPOP 1 z MIN COUNT 1 COUNT 1", "ZMPOP 1 z", "ZRANDMEMBER z -3 withscores x",
            "ZUNIONSTORE z 1 z", "ZINTERSTORE z2 1 z WEIGHTS 1 AGGREGATE sum AGGREGATE max", "ZRANGE z2 0 -1 WITHSCORES",
            "ZINTERCARD 2 z", "ZINTERCARD 1 z LIMIT", "ZDIFF 1 missing", "ZUNION 1 z WITHSCORES WITHSCORES", "ZINCRBY z nan a",
            "ZADD z 5 a 5 a 6 a", "ZSCORE z a", "ZADD z CH 7 a 7 a", "ZREVRANGEBYSCORE z -inf +inf", "ZREVRANK z a", "ZMSCORE z");

    [SkippableFact]
    public void Resp3_MoreShapes()
    {
        RequireRedis();
        Setup("HELLO", "3");
        SameEach(
            "ZADD z 1 a 2 b", "ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 0 1", "ZREVRANGE z 0 -1 WITHSCORES", "ZINTER 1 z WITHSCORES",
            "ZDIFF 1 z WITHSCORES", "ZPOPMAX z 0", "ZPOPMAX missing 2", "ZRANDMEMBER missing 2 WITHSCORES", "ZADD z 1 x 2 y",
            "ZRANGESTORE d z 0 -1", "HRANDFIELD missing 2 WITHVALUES", "SRANDMEMBER missing 2", "SPOP missing", "SINTERCARD 1 z", "LPOS missing a COUNT 1",
            "ZMSCORE missing a", "ZADD z inf i", "ZSCORE z i", "ZADD z -inf ni", "ZRANGE z 0 0 WITHSCORES", "ZSCAN z 0");
    }
}
