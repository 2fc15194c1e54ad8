using TieredKv.Types.SortedSets;

namespace TieredKv.Tests.Changes;

/// <summary>The events sorted-set operations report, as Redis 7.0's t_zset.c raises them.</summary>
public sealed class SortedSetChangeTests : ChangeTest
{
    [Fact]
    public void ZAdd_ReportsZAdd_OnlyWhenAMemberIsAddedOrItsScoreChanges()
    {
        Db.ZAdd(B("z"), [(1, B("a"))]);
        Db.ZAdd(B("z"), [(1, B("a"))]);
        Db.ZAdd(B("z"), [(2, B("a"))]);
        Db.ZAdd(B("z"), [(1, B("a"))], new ZAddOptions { Gt = true });
        Expect("new z", "zadd z", "zadd z");
    }

    [Fact]
    public void ZAddIncr_AndZIncrBy_ReportZIncr_UnlessTheScoreStays()
    {
        Db.ZAdd(B("z"), [(1, B("a"))], new ZAddOptions { Incr = true });
        Db.ZIncrBy(B("z"), 2, B("a"));
        Db.ZIncrBy(B("z"), 0, B("a"));
        Db.ZAdd(B("z"), [(1, B("a"))], new ZAddOptions { Incr = true, Nx = true });
        Expect("new z", "zincr z", "zincr z");
    }

    [Fact]
    public void Removals_ReportTheirEvents_ThenDelWhenEmptied()
    {
        Db.ZAdd(B("z"), [(1, B("a")), (2, B("b")), (3, B("c")), (4, B("d")), (5, B("e")), (6, B("f"))]);
        TakeChanges();
        Db.ZRem(B("z"), [B("nope")]);
        Db.ZRem(B("z"), [B("a")]);
        Db.ZRemRangeByRank(B("z"), 0, 0);
        Db.ZRemRangeByScore(B("z"), new ScoreBound(3), new ScoreBound(3));
        Db.ZPopMin(B("z"));
        Db.ZPopMax(B("z"), 0);
        Db.ZPopMax(B("z"), 5);
        Expect("zrem z", "zremrangebyrank z", "zremrangebyscore z", "zpopmin z", "zpopmax z", "del z");
    }

    [Fact]
    public void ZRemRangeByLex_ReportsItsEvent_ThenDelWhenEmptied()
    {
        Db.ZAdd(B("z"), [(0, B("a")), (0, B("b"))]);
        TakeChanges();
        Db.ZRemRangeByLex(B("z"), LexBound.Inclusive(B("a")), LexBound.Inclusive(B("a")));
        Db.ZRemRangeByLex(B("z"), LexBound.Inclusive(B("x")), LexBound.Max);
        Db.ZRemRangeByLex(B("z"), LexBound.Min, LexBound.Max);
        Expect("zremrangebylex z", "zremrangebylex z", "del z");
    }

    [Fact]
    public void Stores_ReportTheirEvents_OrDelWhenTheResultIsEmpty()
    {
        Db.ZAdd(B("a"), [(1, B("x"))]);
        TakeChanges();
        Db.ZUnionStore(B("d"), [B("a")]);
        Db.ZInterStore(B("d"), [B("a")]);
        Db.ZDiffStore(B("d"), [B("a")]);
        Db.ZRangeStore(B("d"), B("a"), 0, -1);
        Db.ZRangeStore(B("d"), B("a"), 5, 6);
        Db.ZRangeStore(B("none"), B("a"), 5, 6);
        Expect("new d", "zunionstore d", "zinterstore d", "zdiffstore d", "zrangestore d", "del d");
    }

    [Fact]
    public void ZStore_ReportsTheEventItIsGiven_OrNothing()
    {
        Db.ZStore(B("d"), [(B("x"), 1)]);
        Db.ZStore(B("d"), [(B("x"), 1)], "geosearchstore");
        Db.ZStore(B("d"), [], "geosearchstore");
        Expect("geosearchstore d", "del d");
    }
}
