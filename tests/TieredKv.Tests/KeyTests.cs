using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests;

public sealed class KeyTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string? S(byte[]? b) => b == null ? null : Encoding.UTF8.GetString(b);

    [Fact]
    public void DbSize_StaysExact_AcrossCreatesDeletesAndReopen()
    {
        for (int i = 0; i < 100; i++) Db.Set(B($"k{i}"), B("v"));
        for (int i = 0; i < 100; i++) Db.Set(B($"k{i}"), B("w")); // overwrites do not count
        Assert.Equal(40, Db.Delete([.. Enumerable.Range(0, 40).Select(i => B($"k{i}")), B("missing")]));
        Assert.Equal(60, Db.DbSize());
        _f.Reopen();
        Assert.Equal(60, Db.DbSize());
    }

    [Fact]
    public void DbSize_StaysExact_PastManyCounterFolds()
    {
        for (int i = 0; i < 10_000; i++) Db.Set(B($"k{i}"), B("v"));
        for (int i = 0; i < 3_000; i++) Db.Delete(B($"k{i}"));
        Assert.Equal(7_000, Db.DbSize());
        _f.Reopen();
        Assert.Equal(7_000, Db.DbSize());
    }

    [Fact]
    public void FlushDb_EmptiesOnlyThatDatabase()
    {
        Db.Set(B("a"), B("1"));
        _f.Store[1].Set(B("b"), B("2"));
        Db.FlushDb();
        Assert.Equal(0, Db.DbSize());
        Assert.Null(Db.Get(B("a")));
        Assert.Equal("2", S(_f.Store[1].Get(B("b"))));
        _f.Reopen();
        Assert.Equal(0, Db.DbSize());
        Assert.Equal(1, _f.Store[1].DbSize());
    }

    [Fact]
    public void Type_NamesTheValueKind()
    {
        Db.Set(B("s"), B("1"));
        Assert.Equal(KeyType.String, Db.Type(B("s")));
        Assert.Equal(KeyType.None, Db.Type(B("missing")));
    }

    [Fact]
    public void ExpireConditions_FollowRedis()
    {
        Db.Set(B("k"), B("v"));
        long now = _f.Clock.NowMs;
        Assert.False(Db.ExpireAt(B("k"), now + 1000, ExpireCondition.Xx));
        Assert.False(Db.ExpireAt(B("k"), now + 1000, ExpireCondition.Gt)); // no TTL counts as infinite
        Assert.True(Db.ExpireAt(B("k"), now + 1000, ExpireCondition.Lt));
        Assert.False(Db.ExpireAt(B("k"), now + 2000, ExpireCondition.Nx));
        Assert.True(Db.ExpireAt(B("k"), now + 2000, ExpireCondition.Gt));
        Assert.False(Db.ExpireAt(B("k"), now + 1500, ExpireCondition.Gt));
        Assert.Equal(now + 2000, Db.PExpireTime(B("k")));
        Assert.True(Db.Persist(B("k")));
        Assert.False(Db.Persist(B("k")));
        Assert.Equal(-1, Db.PTtl(B("k")));
        Assert.Equal(-2, Db.PTtl(B("missing")));
    }

    [Fact]
    public void Expire_WithNonPositiveTtl_DeletesKey()
    {
        Db.Set(B("k"), B("v"));
        Assert.True(Db.Expire(B("k"), TimeSpan.Zero));
        Assert.False(Db.Exists(B("k")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void ExpireTime_SurvivesReopen()
    {
        Db.Set(B("k"), B("v"), expireAtMs: _f.Clock.NowMs + 5000);
        _f.Reopen();
        Assert.Equal(5000, Db.PTtl(B("k")));
        _f.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null(Db.Get(B("k")));
    }

    [Fact]
    public void KeyExpired_IsRaisedOnceWhenAnExpiredKeyIsRead()
    {
        var expired = new List<(int Database, string Key)>();
        _f.Store.KeyExpired += (database, key) => expired.Add((database, Encoding.UTF8.GetString(key)));
        Db.Set(B("k"), B("v"), expireAtMs: _f.Clock.NowMs + 10);
        Db.Set(B("other"), B("v"), expireAtMs: _f.Clock.NowMs + 1_000_000);
        _f.Clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Null(Db.Get(B("k")));
        Assert.Null(Db.Get(B("k")));
        Assert.Equal([(0, "k")], expired);
    }

    [Fact]
    public void ActiveExpiry_RemovesDueKeysNobodyReads()
    {
        using var f = new StoreFixture(o => o with { ActiveExpiryInterval = TimeSpan.FromMilliseconds(5) });
        for (int i = 0; i < 50; i++) f.Db.Set(B($"k{i}"), B("v"), expireAtMs: f.Clock.NowMs + (i < 30 ? 10 : 1_000_000));
        f.Clock.Advance(TimeSpan.FromMilliseconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (f.Db.DbSize() > 20 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        Assert.Equal(20, f.Db.DbSize());
        Assert.Equal(30, f.Store.GetStatistics().ExpiredKeys);
    }

    [Fact]
    public void Rename_MovesValueAndExpiry_AndReplacesDestination()
    {
        Db.Set(B("src"), B("v"), expireAtMs: _f.Clock.NowMs + 3000);
        Db.Set(B("dst"), B("old"));
        Assert.True(Db.Rename(B("src"), B("dst")));
        Assert.Null(Db.Get(B("src")));
        Assert.Equal("v", S(Db.Get(B("dst"))));
        Assert.Equal(3000, Db.PTtl(B("dst")));
        Assert.Equal(1, Db.DbSize());
        Assert.Equal("ERR no such key", Assert.Throws<KvException>(() => Db.Rename(B("nope"), B("x"))).Message);
    }

    [Fact]
    public void RenameNx_RefusesExistingDestination()
    {
        Db.Set(B("a"), B("1"));
        Db.Set(B("b"), B("2"));
        Assert.False(Db.Rename(B("a"), B("b"), onlyIfAbsent: true));
        Assert.Equal("1", S(Db.Get(B("a"))));
    }

    [Fact]
    public void Copy_AndMove_BetweenDatabases()
    {
        Db.Set(B("k"), B("v"));
        Assert.True(Db.Copy(B("k"), B("k2")));
        Assert.False(Db.Copy(B("k"), B("k2")));
        Assert.True(Db.Copy(B("k"), B("k"), _f.Store[2]));
        Assert.Equal("v", S(_f.Store[2].Get(B("k"))));
        Assert.True(Db.Move(B("k2"), _f.Store[3]));
        Assert.False(Db.Exists(B("k2")));
        Assert.Equal("v", S(_f.Store[3].Get(B("k2"))));
        Assert.Equal(1, _f.Store[3].DbSize());
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void Scan_ReturnsEveryKeyOnce_WithPatternAndType()
    {
        for (int i = 0; i < 250; i++) Db.Set(B($"user:{i}"), B("v"));
        for (int i = 0; i < 50; i++) Db.Set(B($"other:{i}"), B("v"));
        var seen = new List<string>();
        ulong cursor = 0;
        do
        {
            var page = Db.Scan(cursor, B("user:*"), 37);
            seen.AddRange(page.Keys.Select(k => S(k)!));
            cursor = page.Cursor;
        } while (cursor != 0);
        Assert.Equal(250, seen.Count);
        Assert.Equal(250, seen.Distinct().Count());
        Assert.Empty(Db.Scan(0, default, 1000, KeyType.Hash).Keys);
        Assert.Equal(300, Db.Keys(B("*")).Count);
    }

    [Fact]
    public void RandomKey_ReturnsAnExistingKey()
    {
        Assert.Null(Db.RandomKey());
        for (int i = 0; i < 20; i++) Db.Set(B($"k{i}"), B("v"));
        for (int i = 0; i < 20; i++) Assert.True(Db.Exists(Db.RandomKey()!));
    }

    [Fact]
    public void HotTier_DemotesUnderBudget_AndColdKeysComeBack()
    {
        using var f = new StoreFixture(o => o with { MaxMemoryBytes = 64 * 1024 });
        for (int i = 0; i < 5000; i++) f.Db.Set(B($"key{i}"), new byte[100]);
        var stats = f.Store.GetStatistics();
        Assert.True(stats.HotBytes <= 64 * 1024 + 1024, $"hot tier holds {stats.HotBytes} bytes");
        Assert.True(stats.Demotions > 0);
        for (int i = 0; i < 5000; i += 50) Assert.NotNull(f.Db.Get(B($"key{i}")));
        Assert.True(f.Store.GetStatistics().Promotions > 0);
    }
}
