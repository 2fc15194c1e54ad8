using TieredKv.Keyspace;

namespace TieredKv.Tests.Changes;

/// <summary>The events generic key operations report, as Redis 7.0's db.c and expire.c raise them.</summary>
public sealed class KeyChangeTests : ChangeTest
{
    [Fact]
    public void Delete_ReportsDel_ForEachKeyThatExisted()
    {
        Db.Set(B("a"), B("1"));
        Db.Set(B("b"), B("1"));
        TakeChanges();
        Db.Delete(B("a"), B("missing"), B("b"));
        Expect("del a", "del b");
    }

    [Fact]
    public void ExpireAt_ReportsExpire_OrDelForATimeInThePast()
    {
        Db.Set(B("k"), B("v"));
        TakeChanges();
        Db.ExpireAt(B("k"), F.Clock.NowMs + 1000);
        Db.ExpireAt(B("k"), F.Clock.NowMs + 2000, ExpireCondition.Nx);
        Db.ExpireAt(B("k"), F.Clock.NowMs - 1);
        Db.ExpireAt(B("k"), F.Clock.NowMs + 1000);
        Expect("expire k", "del k");
    }

    [Fact]
    public void Persist_ReportsPersist_OnlyWhenAnExpiryWasRemoved()
    {
        Db.Set(B("k"), B("v"), expireAtMs: F.Clock.NowMs + 1000);
        TakeChanges();
        Db.Persist(B("k"));
        Db.Persist(B("k"));
        Expect("persist k");
    }

    [Fact]
    public void KeyFoundExpired_ReportsExpired_Once()
    {
        Db.Set(B("k"), B("v"), expireAtMs: F.Clock.NowMs + 10);
        TakeChanges();
        F.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Null(Db.Get(B("k")));
        Assert.Null(Db.Get(B("k")));
        Expect("expired k");
    }

    [Fact]
    public void WriteToAnExpiredKey_ReportsExpiredThenNew()
    {
        Db.Set(B("k"), B("v"), expireAtMs: F.Clock.NowMs + 10);
        TakeChanges();
        F.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Db.Set(B("k"), B("w"));
        Expect("expired k", "new k", "set k");
    }

    [Fact]
    public void ActiveExpiryCycle_ReportsExpired()
    {
        using var f = new StoreFixture(o => o with { ActiveExpiryInterval = TimeSpan.FromMilliseconds(5) });
        var expired = new List<string>();
        using var _ = f.Store.Changes.Subscribe(c =>
        {
            lock (expired) expired.Add($"{c.Event} {System.Text.Encoding.UTF8.GetString(c.Key)} {c.Class}");
        });
        f.Db.Set(B("k"), B("v"), expireAtMs: f.Clock.NowMs + 10);
        f.Clock.Advance(TimeSpan.FromMilliseconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            lock (expired) if (expired.Count == 4) break;
            Thread.Sleep(5);
        }
        lock (expired) Assert.Equal(["new k New", "set k String", "expire k Generic", "expired k Expired"], expired);
    }

    [Fact]
    public void Rename_ReportsNewThenRenameFromAndRenameTo()
    {
        Db.Set(B("a"), B("v"));
        Db.Set(B("b"), B("v"));
        TakeChanges();
        Db.Rename(B("a"), B("b"));
        Expect("new b", "rename_from a", "rename_to b");
    }

    [Fact]
    public void Rename_OntoItself_OrRefused_ReportsNothing()
    {
        Db.Set(B("a"), B("v"));
        Db.Set(B("b"), B("v"));
        TakeChanges();
        Db.Rename(B("a"), B("a"));
        Db.Rename(B("a"), B("b"), onlyIfAbsent: true);
        Expect();
    }

    [Fact]
    public void Copy_ReportsNewAndCopyTo_InTheTargetDatabase()
    {
        Db.Set(B("a"), B("v"));
        TakeChanges();
        Db.Copy(B("a"), B("b"));
        Db.Copy(B("a"), B("b"));
        Db.Copy(B("a"), B("b"), replace: true);
        Db.Copy(B("a"), B("c"), F.Store[1]);
        Expect("new b", "copy_to b", "new b", "copy_to b", "new c @1", "copy_to c @1");
    }

    [Fact]
    public void Move_ReportsNewAndMoveToInTheTarget_AndMoveFromHere()
    {
        Db.Set(B("a"), B("v"));
        TakeChanges();
        Db.Move(B("a"), F.Store[3]);
        Db.Move(B("a"), F.Store[3]);
        Expect("new a @3", "move_from a", "move_to a @3");
    }

    [Fact]
    public void FlushDb_ReportsNothing()
    {
        Db.Set(B("a"), B("v"));
        TakeChanges();
        Db.FlushDb();
        Expect();
    }

    [Fact]
    public void CompletedImport_ReportsNewAndRestore_EvenWhenReplacing()
    {
        Db.Set(B("h"), B("v"));
        TakeChanges();
        using (var import = Db.BeginImport(B("h"), KeyType.Hash, replace: true))
        {
            import.AddHashField(B("f"), B("v"));
            Assert.True(import.Complete());
        }
        Expect("new h", "restore h");
    }

    [Fact]
    public void ImportOfAnExpiredValue_ReportsDel_OfTheKeyItReplaces()
    {
        Db.Set(B("k"), B("v"));
        TakeChanges();
        using (var import = Db.BeginImport(B("k"), KeyType.String, F.Clock.NowMs - 1, replace: true))
        {
            import.SetString(B("w"));
            import.Complete();
        }
        Expect("del k");
    }
}
