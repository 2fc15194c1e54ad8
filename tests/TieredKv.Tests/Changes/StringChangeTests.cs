namespace TieredKv.Tests.Changes;

/// <summary>The events string operations report, as Redis 7.0's t_string.c raises them.</summary>
public sealed class StringChangeTests : ChangeTest
{
    [Fact]
    public void Set_ReportsNewThenSet_ForANewKey_AndOnlySet_ForAnOverwrite()
    {
        Db.Set(B("k"), B("1"));
        Db.Set(B("k"), B("2"));
        Expect("new k", "set k", "set k");
    }

    [Fact]
    public void Set_WithAnExpiry_AlsoReportsExpire()
    {
        Db.Set(B("k"), B("v"), expireAtMs: F.Clock.NowMs + 1000);
        Db.Set(B("k"), B("w"), keepTtl: true);
        Expect("new k", "set k", "expire k", "set k");
    }

    [Fact]
    public void Set_RefusedByItsCondition_ReportsNothing()
    {
        Db.Set(B("k"), B("v"));
        TakeChanges();
        Db.Set(B("k"), B("w"), SetCondition.IfNotExists, returnOld: true);
        Db.Set(B("missing"), B("w"), SetCondition.IfExists);
        Expect();
    }

    [Fact]
    public void Set_WithAnExpiryInThePast_ReportsTheWriteAndItsExpiry()
    {
        Db.Set(B("k"), B("v"), expireAtMs: F.Clock.NowMs - 1);
        Expect("new k", "set k", "expire k", "expired k");
        Assert.False(Db.Exists(B("k")));
    }

    [Fact]
    public void MSet_ReportsEachPairInOrder_NewOnlyForKeysItCreates()
    {
        Db.Set(B("b"), B("0"));
        TakeChanges();
        Db.MSet([(B("a"), B("1")), (B("b"), B("2")), (B("a"), B("3"))]);
        Expect("new a", "set a", "set b", "set a");
    }

    [Fact]
    public void MSetNx_ReportsNothing_WhenAKeyExists()
    {
        Db.Set(B("b"), B("0"));
        TakeChanges();
        Assert.False(Db.MSet([(B("a"), B("1")), (B("b"), B("2"))], onlyIfNoneExist: true));
        Expect();
    }

    [Fact]
    public void AppendSetRangeAndCounters_ReportTheirOwnEvents()
    {
        Db.Append(B("s"), B("x"));
        Db.SetRange(B("s"), 3, B("y"));
        Db.IncrBy(B("n"), 1);
        Db.IncrBy(B("n"), -1);
        Db.IncrByFloat(B("f"), 0.5);
        Expect("new s", "append s", "setrange s", "new n", "incrby n", "incrby n", "new f", "incrbyfloat f");
    }

    [Fact]
    public void SetRange_WithAnEmptyValue_ReportsNothing()
    {
        Db.SetRange(B("s"), 0, []);
        Expect();
    }

    [Fact]
    public void GetDel_ReportsDel_OnlyWhenTheKeyExisted()
    {
        Db.Set(B("k"), B("v"));
        TakeChanges();
        Db.GetDel(B("k"));
        Db.GetDel(B("k"));
        Expect("del k");
    }

    [Fact]
    public void GetEx_ReportsExpire_Persist_OrDelForATimeInThePast()
    {
        Db.Set(B("k"), B("v"));
        TakeChanges();
        Db.GetEx(B("k"), persist: true); // no expiry to remove
        Db.GetEx(B("k"), expireAtMs: F.Clock.NowMs + 1000);
        Db.GetEx(B("k"), persist: true);
        Db.GetEx(B("k"), expireAtMs: F.Clock.NowMs - 1);
        Expect("expire k", "persist k", "del k");
    }

    [Fact]
    public void UpdateString_ReportsTheEventItIsGiven_OrNothing()
    {
        Db.UpdateString(B("k"), _ => B("1"));
        Db.UpdateString(B("k"), _ => B("2"), "setbit");
        Expect("setbit k");
    }
}
