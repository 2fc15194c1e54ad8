using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Keyspace;

public sealed class ExportTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[] b) => Encoding.UTF8.GetString(b);

    [Fact]
    public void Keys_ComeInKeyOrder_WithTypeCountAndExpiry()
    {
        Db.Set(B("s"), B("value"), expireAtMs: _f.Clock.NowMs + 5000);
        Db.HSet(B("h"), [(B("f1"), B("v1")), (B("f2"), B("v2"))]);
        Db.RPush(B("l"), [B("a"), B("b"), B("c")]);
        Db.SAdd(B("set"), [B("m")]);
        Db.ZAdd(B("z"), [(1, B("x")), (2, B("y"))]);

        using var snap = _f.Store.OpenSnapshot();
        var keys = snap.Keys(0).ToList();

        Assert.Equal(["h", "l", "s", "set", "z"], keys.Select(k => S(k.Key)));
        Assert.Equal([KeyType.Hash, KeyType.List, KeyType.String, KeyType.Set, KeyType.SortedSet], keys.Select(k => k.Type));
        Assert.Equal([2L, 3, 1, 1, 2], keys.Select(k => k.Count));
        Assert.Equal([null, null, _f.Clock.NowMs + 5000, null, null], keys.Select(k => k.ExpireAtUnixMs));
        Assert.Equal("value", S(keys[2].StringValue()));
    }

    [Fact]
    public void Snapshot_DoesNotSeeWritesMadeAfterItWasOpened()
    {
        Db.HSet(B("h"), [(B("a"), B("1"))]);
        Db.Set(B("s"), B("old"));
        using var snap = _f.Store.OpenSnapshot();

        Db.HSet(B("h"), [(B("a"), B("changed")), (B("b"), B("2"))]);
        Db.Set(B("s"), B("new"));
        Db.Set(B("later"), B("x"));

        var keys = snap.Keys(0).ToList();
        Assert.Equal(["h", "s"], keys.Select(k => S(k.Key)));
        Assert.Equal([("a", "1")], keys[0].HashFields().Select(p => (S(p.Key), S(p.Value))));
        Assert.Equal(1, keys[0].Count);
        Assert.Equal("old", S(keys[1].StringValue()));
        Assert.Equal(2, snap.KeyCount(0));
        Assert.Equal(3, Db.DbSize());
    }

    [Fact]
    public void Snapshot_KeepsElementsOfACollectionDeletedAfterIt_ThroughCompaction()
    {
        var members = Enumerable.Range(0, 3000).Select(i => B($"m{i:D5}")).ToList();
        Db.SAdd(B("set"), members);
        using var snap = _f.Store.OpenSnapshot();

        Db.Delete(B("set"));
        _f.Store.Engine.CompactRange();

        var key = Assert.Single(snap.Keys(0));
        Assert.Equal(members.Select(S), key.SetMembers().Select(S));
    }

    [Fact]
    public void Keys_SkipKeysAlreadyExpiredWhenOpened()
    {
        long now = _f.Clock.NowMs;
        Db.Set(B("gone"), B("1"), expireAtMs: now + 1000);
        Db.Set(B("stays"), B("2"), expireAtMs: now + 5000);
        Db.Set(B("forever"), B("3"));
        _f.Clock.Advance(TimeSpan.FromSeconds(2)); // "gone" is due but nothing has deleted it yet

        using var snap = _f.Store.OpenSnapshot();
        Assert.Equal(["forever", "stays"], snap.Keys(0).Select(k => S(k.Key)));
    }

    [Fact]
    public void KeyCount_ExcludesExpiredKeys_AndEqualsTheKeysEnumerated()
    {
        long now = _f.Clock.NowMs;
        for (int i = 0; i < 50; i++) Db.Set(B($"k{i}"), B("v"), expireAtMs: i % 5 == 0 ? now + 1000 : null);
        Db.Expire(B("k1"), TimeSpan.FromSeconds(1));
        Db.Persist(B("k1")); // leaves a stale expiry-index entry behind
        _f.Clock.Advance(TimeSpan.FromSeconds(2));

        using var snap = _f.Store.OpenSnapshot();
        Assert.Equal(50, Db.DbSize()); // the due keys are not deleted yet
        Assert.Equal(40, snap.KeyCount(0));
        Assert.Equal(40, snap.Keys(0).Count());
    }

    [Fact]
    public void KeyCount_IsPerDatabase_AndExactPastCounterFolds()
    {
        for (int i = 0; i < 5000; i++) Db.Set(B($"k{i}"), B("v"));
        for (int i = 0; i < 1200; i++) Db.Delete(B($"k{i}"));
        _f.Store[1].Set(B("other"), B("v"));

        using var snap = _f.Store.OpenSnapshot();
        Assert.Equal(3800, snap.KeyCount(0));
        Assert.Equal(1, snap.KeyCount(1));
        Assert.Equal(0, snap.KeyCount(2));
    }

    [Fact]
    public void ListItems_ComeHeadToTail_AfterPushesAndPopsAtBothEnds()
    {
        Db.RPush(B("l"), [B("c"), B("d")]);
        Db.LPush(B("l"), [B("b"), B("a"), B("z")]);
        Db.RPush(B("l"), [B("e")]);
        Db.LPop(B("l"));

        using var snap = _f.Store.OpenSnapshot();
        var key = Assert.Single(snap.Keys(0));
        Assert.Equal(["a", "b", "c", "d", "e"], key.ListItems().Select(S));
        Assert.Equal(5, key.Count);
    }

    [Fact]
    public void SortedSetMembers_ComeByScoreThenMember()
    {
        Db.ZAdd(B("z"), [(2, B("b")), (double.NegativeInfinity, B("low")), (2, B("a")), (-1.5, B("neg")), (double.PositiveInfinity, B("high")), (-0.0, B("zero"))]);

        using var snap = _f.Store.OpenSnapshot();
        var members = Assert.Single(snap.Keys(0)).SortedSetMembers().Select(p => (S(p.Key), p.Value)).ToList();
        Assert.Equal([("low", double.NegativeInfinity), ("neg", -1.5), ("zero", 0.0), ("a", 2.0), ("b", 2.0), ("high", double.PositiveInfinity)], members);
    }

    [Fact]
    public void HashFields_ComeInFieldOrder_WithTheirValues()
    {
        Db.HSet(B("h"), [(B("b"), B("2")), (B("a"), B("1")), (B("c"), B(""))]);

        using var snap = _f.Store.OpenSnapshot();
        Assert.Equal([("a", "1"), ("b", "2"), ("c", "")], Assert.Single(snap.Keys(0)).HashFields().Select(p => (S(p.Key), S(p.Value))));
    }

    [Fact]
    public void ElementsOfAnotherType_AreRefused()
    {
        Db.SAdd(B("set"), [B("m")]);
        using var snap = _f.Store.OpenSnapshot();
        var key = Assert.Single(snap.Keys(0));
        Assert.Throws<InvalidOperationException>(() => key.HashFields().ToList());
        Assert.Throws<InvalidOperationException>(() => key.StringValue());
    }

    [Fact]
    public void ReadKey_ReturnsTheLiveValue_OrNullWhenMissingOrExpired()
    {
        Db.RPush(B("l"), [B("x"), B("y")]);
        Db.Set(B("s"), B("v"), expireAtMs: _f.Clock.NowMs + 1000);

        var list = Db.ReadKey(B("l"));
        Assert.NotNull(list);
        Assert.Equal(KeyType.List, list.Type);
        Assert.Equal(["x", "y"], list.ListItems().Select(S));
        Db.RPush(B("l"), [B("z")]); // the value read is not affected by later writes
        Assert.Equal(["x", "y"], list.ListItems().Select(S));

        Assert.Equal(_f.Clock.NowMs + 1000, Db.ReadKey(B("s"))!.ExpireAtUnixMs);
        Assert.Null(Db.ReadKey(B("missing")));
        _f.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(Db.ReadKey(B("s")));
    }

    [Fact]
    public void DisposedSnapshot_RefusesReads()
    {
        var snap = _f.Store.OpenSnapshot();
        snap.Dispose();
        Assert.Throws<ObjectDisposedException>(() => snap.KeyCount(0));
    }
}
