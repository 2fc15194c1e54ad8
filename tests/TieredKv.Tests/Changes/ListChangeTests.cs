namespace TieredKv.Tests.Changes;

/// <summary>The events list operations report, as Redis 7.0's t_list.c raises them.</summary>
public sealed class ListChangeTests : ChangeTest
{
    [Fact]
    public void Push_ReportsNewThenItsSide_OncePerCall()
    {
        Db.LPush(B("l"), [B("a"), B("b")]);
        Db.RPush(B("l"), [B("c")]);
        Expect("new l", "lpush l", "rpush l");
    }

    [Fact]
    public void PushX_OnAMissingKey_ReportsNothing()
    {
        Db.LPushX(B("l"), [B("a")]);
        Db.RPushX(B("l"), [B("a")]);
        Expect();
    }

    [Fact]
    public void Pop_ReportsItsSide_ThenDelWhenItEmptiesTheList()
    {
        Db.RPush(B("l"), [B("a"), B("b"), B("c")]);
        TakeChanges();
        Db.LPop(B("l"));
        Db.RPop(B("l"), 0);
        Db.RPop(B("l"), 5);
        Db.LPop(B("l"));
        Expect("lpop l", "rpop l", "del l");
    }

    [Fact]
    public void LSetAndLInsert_ReportTheirEvents_LInsertOnlyWhenThePivotIsFound()
    {
        Db.RPush(B("l"), [B("a")]);
        TakeChanges();
        Db.LSet(B("l"), 0, B("b"));
        Db.LInsert(B("l"), before: true, B("b"), B("x"));
        Db.LInsert(B("l"), before: true, B("nope"), B("x"));
        Expect("lset l", "linsert l");
    }

    [Fact]
    public void LRem_ReportsLRem_WhenItRemoved_ThenDelWhenEmptied()
    {
        Db.RPush(B("l"), [B("a"), B("a")]);
        TakeChanges();
        Db.LRem(B("l"), 0, B("nope"));
        Db.LRem(B("l"), 0, B("a"));
        Expect("lrem l", "del l");
    }

    [Fact]
    public void LTrim_ReportsLTrim_EvenWhenNothingIsTrimmed_ThenDelWhenEmptied()
    {
        Db.RPush(B("l"), [B("a"), B("b")]);
        TakeChanges();
        Db.LTrim(B("l"), 0, -1);
        Db.LTrim(B("l"), 0, 0);
        Db.LTrim(B("l"), 5, 6);
        Db.LTrim(B("l"), 0, 1);
        Expect("ltrim l", "ltrim l", "ltrim l", "del l");
    }

    [Fact]
    public void LMove_ReportsThePushOnTheDestination_ThenThePopAndDelOnTheSource()
    {
        Db.RPush(B("src"), [B("a")]);
        TakeChanges();
        Db.LMove(B("src"), B("dst"), fromLeft: false, toLeft: true);
        Expect("new dst", "lpush dst", "rpop src", "del src");
    }

    [Fact]
    public void LMove_OntoTheSameList_ReportsPushThenPop()
    {
        Db.RPush(B("l"), [B("a")]);
        TakeChanges();
        Db.LMove(B("l"), B("l"), fromLeft: true, toLeft: false);
        Expect("rpush l", "lpop l");
    }
}
