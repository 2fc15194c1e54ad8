using System.Text;

namespace TieredKv.Tests.Keyspace;

/// <summary>The per-database count of keys with a TTL (INFO keyspace's expires): kept on write, lazily expired keys and reopening included.</summary>
public sealed class ExpiryCountTests
{
    private static byte[] K(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Writes_KeepTheCountOfKeysWithATtl()
    {
        using var f = new StoreFixture();
        var db = f.Db;
        db.Set(K("a"), K("1"), expireAtMs: f.Clock.NowMs + 10_000);
        db.Set(K("b"), K("1"));
        db.Expire(K("b"), TimeSpan.FromSeconds(5));
        db.Expire(K("b"), TimeSpan.FromSeconds(50)); // a new TTL for a key that had one: still one key
        db.Set(K("c"), K("1"));
        Assert.Equal(2, db.ExpiresCount());

        db.Persist(K("a"));
        Assert.Equal(1, db.ExpiresCount());
        db.Set(K("b"), K("2")); // SET without KEEPTTL drops the TTL
        Assert.Equal(0, db.ExpiresCount());
    }

    [Fact]
    public void ExpiredKeys_LeaveTheCount_AndFlushEmptiesIt()
    {
        using var f = new StoreFixture();
        var db = f.Db;
        db.Set(K("a"), K("1"), expireAtMs: f.Clock.NowMs + 1000);
        db.Set(K("b"), K("1"), expireAtMs: f.Clock.NowMs + 100_000);
        f.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(db.Get(K("a"))); // lazily expired
        Assert.Equal(1, db.ExpiresCount());
        db.FlushDb();
        Assert.Equal(0, db.ExpiresCount());
    }

    [Fact]
    public void Reopen_CountsTheExpiryIndexAgain()
    {
        using var f = new StoreFixture();
        for (int i = 0; i < 10; i++) f.Db.Set(K($"k{i}"), K("v"), expireAtMs: i % 2 == 0 ? f.Clock.NowMs + 100_000 : null);
        f.Store[1].Set(K("other"), K("v"), expireAtMs: f.Clock.NowMs + 100_000);
        f.Reopen();
        Assert.Equal(5, f.Db.ExpiresCount());
        Assert.Equal(1, f.Store[1].ExpiresCount());
    }

    [Fact]
    public void AverageTtl_IsTheMeanTimeLeft_AndSurvivesReopening()
    {
        using var f = new StoreFixture();
        f.Db.Set(K("a"), K("1"), expireAtMs: f.Clock.NowMs + 10_000);
        f.Db.Set(K("b"), K("1"), expireAtMs: f.Clock.NowMs + 30_000);
        f.Db.Set(K("c"), K("1"));
        Assert.Equal(20_000, f.Db.AverageTtl());
        f.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(15_000, f.Db.AverageTtl());
        f.Reopen();
        Assert.Equal(15_000, f.Db.AverageTtl());
        f.Db.Persist(K("b"));
        Assert.Equal(5_000, f.Db.AverageTtl());
        f.Db.Persist(K("a"));
        Assert.Equal(0, f.Db.AverageTtl());
    }
}
