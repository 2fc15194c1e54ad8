using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Types.Strings;

public sealed class StringTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string? S(byte[]? b) => b == null ? null : Encoding.UTF8.GetString(b);

    [Fact]
    public void Set_ThenGet_ReturnsValue_AcrossReopen()
    {
        Db.Set(B("k"), B("v"));
        Assert.Equal("v", S(Db.Get(B("k"))));
        _f.Reopen();
        Assert.Equal("v", S(Db.Get(B("k"))));
    }

    [Fact]
    public void Set_WithNx_DoesNotOverwrite()
    {
        Db.Set(B("k"), B("1"));
        Assert.False(Db.Set(B("k"), B("2"), SetCondition.IfNotExists).Written);
        Assert.Equal("1", S(Db.Get(B("k"))));
        Assert.True(Db.Set(B("new"), B("x"), SetCondition.IfNotExists).Written);
    }

    [Fact]
    public void Set_WithXx_WritesOnlyExistingKeys()
    {
        Assert.False(Db.Set(B("k"), B("1"), SetCondition.IfExists).Written);
        Assert.Null(Db.Get(B("k")));
        Db.Set(B("k"), B("1"));
        Assert.True(Db.Set(B("k"), B("2"), SetCondition.IfExists).Written);
    }

    [Fact]
    public void Set_ClearsTtl_UnlessKeepTtl()
    {
        Db.Set(B("k"), B("1"), expireAtMs: _f.Clock.NowMs + 10_000);
        Db.Set(B("k"), B("2"), keepTtl: true);
        Assert.Equal(10_000, Db.PTtl(B("k")));
        Db.Set(B("k"), B("3"));
        Assert.Equal(-1, Db.PTtl(B("k")));
    }

    [Fact]
    public void Set_WithGet_ReturnsOldValue_AndFailsOnWrongType()
    {
        Db.Set(B("k"), B("old"));
        Assert.Equal("old", S(Db.Set(B("k"), B("new"), returnOld: true).OldValue));
    }

    [Fact]
    public void Get_ReturnsNull_AfterExpiry_AndKeyIsGone()
    {
        Db.Set(B("k"), B("v"), expireAtMs: _f.Clock.NowMs + 100);
        _f.Clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal("v", S(Db.Get(B("k"))));
        _f.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(Db.Get(B("k")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void IncrBy_CountsAndRejectsNonIntegers()
    {
        Assert.Equal(5, Db.IncrBy(B("n"), 5));
        Assert.Equal(3, Db.IncrBy(B("n"), -2));
        Db.Set(B("s"), B("abc"));
        var e = Assert.Throws<KvException>(() => Db.IncrBy(B("s"), 1));
        Assert.Equal("ERR value is not an integer or out of range", e.Message);
        Db.Set(B("max"), B(long.MaxValue.ToString()));
        Assert.Equal("ERR increment or decrement would overflow", Assert.Throws<KvException>(() => Db.IncrBy(B("max"), 1)).Message);
    }

    [Fact]
    public void IncrByFloat_FormatsAsRedis()
    {
        Db.Set(B("f"), B("10.50"));
        Assert.Equal("10.6", S(Db.IncrByFloat(B("f"), 0.1)));
        Assert.Equal("5000", S(Db.IncrByFloat(B("g"), 5e3)));
    }

    [Fact]
    public void IncrByFloat_AddsInLongDouble_AsRedis()
    {
        Assert.Equal("0.1", S(Db.IncrByFloat(B("f"), 0.1)));
        Assert.Equal("0.3", S(Db.IncrByFloat(B("f"), 0.2)));
        Db.Set(B("g"), B("10.6"));
        Assert.Equal("-4989.39999999999999991", S(Db.IncrByFloat(B("g"), -5000)));
        Assert.True(TieredKv.Numbers.LongDouble.TryParse("1e400"u8, out var huge));
        Assert.Equal(401, Db.IncrByFloat(B("h"), huge).Length);
        Assert.Throws<KvException>(() => Db.IncrByFloat(B("h"), double.PositiveInfinity));
    }

    [Fact]
    public void Append_AndStrLen_AndRanges()
    {
        Assert.Equal(5, Db.Append(B("k"), B("Hello")));
        Assert.Equal(11, Db.Append(B("k"), B(" World")));
        Assert.Equal(11, Db.StrLen(B("k")));
        Assert.Equal("World", S(Db.GetRange(B("k"), -5, -1)));
        Assert.Equal("Hello", S(Db.GetRange(B("k"), 0, 4)));
        Assert.Equal(11, Db.SetRange(B("k"), 6, B("Redis")));
        Assert.Equal("Hello Redis", S(Db.Get(B("k"))));
        Assert.Equal(5, Db.SetRange(B("pad"), 2, B("abc")));
        Assert.Equal("\0\0abc", S(Db.Get(B("pad"))));
    }

    [Fact]
    public void MSet_IsAtomic_AndMSetNxRefusesWhenAnyExists()
    {
        Assert.True(Db.MSet([(B("a"), B("1")), (B("b"), B("2")), (B("a"), B("3"))]));
        Assert.Equal(new string?[] { "3", "2", null }, Db.MGet([B("a"), B("b"), B("c")]).Select(S).ToArray());
        Assert.Equal(2, Db.DbSize());
        Assert.False(Db.MSet([(B("c"), B("1")), (B("a"), B("x"))], onlyIfNoneExist: true));
        Assert.Null(Db.Get(B("c")));
    }

    [Fact]
    public void GetDel_RemovesKey_AndGetEx_SetsOrRemovesExpiry()
    {
        Db.Set(B("k"), B("v"));
        Assert.Equal("v", S(Db.GetEx(B("k"), expireAtMs: _f.Clock.NowMs + 500)));
        Assert.Equal(500, Db.PTtl(B("k")));
        Db.GetEx(B("k"), persist: true);
        Assert.Equal(-1, Db.PTtl(B("k")));
        Assert.Equal("v", S(Db.GetDel(B("k"))));
        Assert.False(Db.Exists(B("k")));
    }
}
