using TieredKv.Changes;

namespace TieredKv.Tests.Changes;

/// <summary>The feed itself: subscribing, unsubscribing, classes, copies and a failing subscriber.</summary>
public sealed class ChangeFeedTests : ChangeTest
{
    [Fact]
    public void Subscriber_HearsNothing_AfterDisposingItsSubscription()
    {
        var heard = new List<string>();
        var subscription = F.Store.Changes.Subscribe(c => heard.Add(c.Event));
        Db.Set(B("a"), B("1"));
        subscription.Dispose();
        subscription.Dispose();
        Db.Set(B("a"), B("2"));
        Assert.Equal(["new", "set"], heard);
    }

    [Fact]
    public void EverySubscriber_HearsEveryChange_InOrder()
    {
        var second = new List<string>();
        using var _ = F.Store.Changes.Subscribe(c => second.Add(c.Event));
        Db.RPush(B("l"), [B("x")]);
        Db.LPop(B("l"));
        Expect("new l", "rpush l", "lpop l", "del l");
        Assert.Equal(["new", "rpush", "lpop", "del"], second);
    }

    [Fact]
    public void Change_CarriesTheDatabase_AndTheClassOfItsEvent()
    {
        F.Store[2].HSet(B("h"), [(B("f"), B("v"))]);
        var changes = TakeChanges();
        Assert.Equal([(2, KeyEventClass.New), (2, KeyEventClass.Hash)], changes.Select(c => (c.Database, c.Class)));
    }

    [Fact]
    public void Change_OwnsACopyOfTheKey()
    {
        var key = B("k");
        Db.Set(key, B("v"));
        key[0] = (byte)'z';
        Assert.All(TakeChanges(), c => Assert.Equal(B("k"), c.Key));
    }

    [Fact]
    public void FailingSubscriber_DoesNotFailTheWrite_NorStopOthers()
    {
        using var _ = F.Store.Changes.Subscribe(_ => throw new InvalidOperationException("consumer bug"));
        Db.Set(B("k"), B("v"));
        Assert.Equal(B("v"), Db.Get(B("k")));
        Expect("new k", "set k");
    }

    [Fact]
    public void Subscriber_WithAClassFilter_HearsOnlyTheClassesItWants()
    {
        var heard = new List<string>();
        using var _ = F.Store.Changes.Subscribe(c => heard.Add(c.Event), c => c is KeyEventClass.Generic);
        Db.Set(B("a"), B("1"), expireAtMs: F.Clock.NowMs + 1000);
        Db.Delete(B("a"));
        Assert.Equal(["expire", "del"], heard);
    }

    [Fact]
    public void Reads_ReportNothing()
    {
        Db.Set(B("k"), B("v"));
        TakeChanges();
        Db.Get(B("k"));
        Db.Exists(B("nothing"));
        Db.HGetAll(B("k2"));
        Expect();
    }
}
