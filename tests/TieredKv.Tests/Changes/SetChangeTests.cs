namespace TieredKv.Tests.Changes;

/// <summary>The events set operations report, as Redis 7.0's t_set.c raises them.</summary>
public sealed class SetChangeTests : ChangeTest
{
    [Fact]
    public void SAdd_ReportsSAdd_OnlyWhenAMemberIsNew()
    {
        Db.SAdd(B("s"), [B("a")]);
        Db.SAdd(B("s"), [B("a")]);
        Expect("new s", "sadd s");
    }

    [Fact]
    public void SRem_ReportsSRem_WhenItRemoved_ThenDelWhenEmptied()
    {
        Db.SAdd(B("s"), [B("a")]);
        TakeChanges();
        Db.SRem(B("s"), [B("nope")]);
        Db.SRem(B("s"), [B("a")]);
        Expect("srem s", "del s");
    }

    [Fact]
    public void SPop_ReportsSPop_ThenDelWhenEmptied_AndNothingForCountZero()
    {
        Db.SAdd(B("s"), [B("a"), B("b"), B("c")]);
        TakeChanges();
        Db.SPop(B("s"), 0);
        Db.SPop(B("s"));
        Db.SPop(B("s"), 5);
        Expect("spop s", "spop s", "del s");
    }

    [Fact]
    public void SMove_ReportsSRemAndDelOnTheSource_ThenNewAndSAddOnTheDestination()
    {
        Db.SAdd(B("src"), [B("a")]);
        TakeChanges();
        Db.SMove(B("src"), B("dst"), B("a"));
        Expect("srem src", "del src", "new dst", "sadd dst");
    }

    [Fact]
    public void SMove_OfAMemberTheDestinationHas_ReportsNoSAdd()
    {
        Db.SAdd(B("src"), [B("a"), B("b")]);
        Db.SAdd(B("dst"), [B("a")]);
        TakeChanges();
        Db.SMove(B("src"), B("dst"), B("a"));
        Db.SMove(B("src"), B("src"), B("b"));
        Expect("srem src");
    }

    [Fact]
    public void Store_ReportsItsEvent_OrDelWhenTheResultIsEmpty()
    {
        Db.SAdd(B("a"), [B("1")]);
        TakeChanges();
        Db.SUnionStore(B("d"), [B("a")]);
        Db.SInterStore(B("d"), [B("a")]);
        Db.SDiffStore(B("d"), [B("a"), B("a")]);
        Db.SDiffStore(B("none"), [B("a"), B("a")]);
        Expect("new d", "sunionstore d", "sinterstore d", "del d");
    }
}
