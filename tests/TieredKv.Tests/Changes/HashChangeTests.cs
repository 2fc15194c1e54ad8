namespace TieredKv.Tests.Changes;

/// <summary>The events hash operations report, as Redis 7.0's t_hash.c raises them.</summary>
public sealed class HashChangeTests : ChangeTest
{
    [Fact]
    public void HSet_ReportsHSet_EvenWhenNoFieldIsNew()
    {
        Db.HSet(B("h"), [(B("f"), B("v"))]);
        Db.HSet(B("h"), [(B("f"), B("v"))]);
        Expect("new h", "hset h", "hset h");
    }

    [Fact]
    public void HSetNx_ReportsHSet_OnlyWhenItSets()
    {
        Db.HSetNx(B("h"), B("f"), B("v"));
        Db.HSetNx(B("h"), B("f"), B("w"));
        Expect("new h", "hset h");
    }

    [Fact]
    public void HDel_ReportsHDel_WhenItDeleted_ThenDelWhenEmptied()
    {
        Db.HSet(B("h"), [(B("f"), B("v")), (B("g"), B("v"))]);
        TakeChanges();
        Db.HDel(B("h"), [B("nope")]);
        Db.HDel(B("h"), [B("f")]);
        Db.HDel(B("h"), [B("g"), B("nope")]);
        Expect("hdel h", "hdel h", "del h");
    }

    [Fact]
    public void HIncrBy_AndHIncrByFloat_ReportTheirEvents()
    {
        Db.HIncrBy(B("h"), B("n"), 2);
        Db.HIncrByFloat(B("h"), B("f"), 0.5);
        Expect("new h", "hincrby h", "hincrbyfloat h");
    }
}
