using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests;

/// <summary>The keyspace primitives behind OBJECT, MEMORY and BITOP.</summary>
public sealed class ObjectInfoTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void ObjectInfo_DescribesStringsAndCollections()
    {
        Assert.Null(Db.ObjectInfo(B("missing"), 5));
        Db.Set(B("s"), B("value"));
        var s = Db.ObjectInfo(B("s"), 5)!;
        Assert.Equal(KeyType.String, s.Type);
        Assert.Equal("value", Encoding.UTF8.GetString(s.Value));
        Assert.True(s.IsHot);

        Db.HSet(B("h"), [(B("a"), B("12345")), (B("bb"), B("1"))]);
        var h = Db.ObjectInfo(B("h"), 5)!;
        Assert.Equal((KeyType.Hash, 2L, 2, 9L, 5), (h.Type, h.Count, h.Sampled, h.SampledBytes, h.LongestElement));
        Assert.False(h.AllIntegers);

        Db.SAdd(B("set"), [.. Enumerable.Range(0, 10).Select(i => B(i.ToString()))]);
        var set = Db.ObjectInfo(B("set"), 3)!;
        Assert.Equal((10L, 3), (set.Count, set.Sampled));
        Assert.True(set.AllIntegers);
    }

    [Fact]
    public void ObjectInfo_ReportsColdAfterReopen_AndTheLookupPromotes()
    {
        Db.Set(B("k"), B("v"));
        _f.Reopen();
        Assert.False(Db.ObjectInfo(B("k"), 0)!.IsHot);
        Assert.True(Db.ObjectInfo(B("k"), 0)!.IsHot);
    }

    [Fact]
    public void StoreFromStrings_WritesDropsExpiry_DeletesOnEmpty_AndRefusesOtherTypes()
    {
        Db.Set(B("a"), B("ab"));
        Db.Set(B("dest"), B("old"), expireAtMs: _f.Clock.NowMs + 60_000);
        Assert.Equal(3, Db.StoreFromStrings(B("dest"), [B("a"), B("missing")], values =>
        {
            Assert.Null(values[1]);
            return [.. values[0]!, (byte)'c'];
        }));
        Assert.Equal("abc", Encoding.UTF8.GetString(Db.Get(B("dest"))!));
        Assert.Equal(-1, Db.PTtl(B("dest")));

        Assert.Equal(0, Db.StoreFromStrings(B("dest"), [B("missing")], _ => []));
        Assert.Null(Db.Get(B("dest")));

        Db.RPush(B("list"), [B("x")]);
        Db.Set(B("dest"), B("kept"));
        Assert.Throws<WrongTypeException>(() => Db.StoreFromStrings(B("dest"), [B("a"), B("list")], _ => [1]));
        Assert.Equal("kept", Encoding.UTF8.GetString(Db.Get(B("dest"))!));
        Assert.Equal(1, Db.StoreFromStrings(B("list"), [B("a")], _ => [1]));
        Assert.Equal(KeyType.String, Db.Type(B("list")));
    }
}
