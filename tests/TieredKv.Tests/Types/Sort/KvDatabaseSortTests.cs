using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Types.Sort;

/// <summary>SORT through the library API (<see cref="SortOperations"/>).</summary>
public sealed class KvDatabaseSortTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static List<string?> S(List<byte[]?> values) => values.ConvertAll(v => v == null ? null : Encoding.UTF8.GetString(v));

    [Fact]
    public void Sort_ListNumerically_TiesByBytes()
    {
        Db.RPush(B("l"), [B("10"), B("2"), B("02"), B("-1.5")]);
        Assert.Equal(["-1.5", "02", "2", "10"], S(Db.Sort(B("l"), new SortSpec())));
    }

    [Fact]
    public void Sort_ByPatternAndGetHashField()
    {
        Db.RPush(B("l"), [B("1"), B("2"), B("3")]);
        Db.Set(B("w_1"), B("30"));
        Db.Set(B("w_2"), B("10"));
        Db.HSet(B("h_3"), [(B("f"), B("three"))]);
        var spec = new SortSpec { By = B("w_*"), Get = [B("#"), B("h_*->f")] };
        // w_3 is missing: it sorts as 0, first.
        Assert.Equal(["3", "three", "2", null, "1", null], S(Db.Sort(B("l"), spec)));
    }

    [Fact]
    public void Sort_NoSortKeepsSortedSetOrderWithLimitAndDesc()
    {
        Db.ZAdd(B("z"), [(1, B("c")), (2, B("b")), (3, B("a"))]);
        var spec = new SortSpec { By = B("nosort"), NoSort = true, Descending = true, Offset = 1, Count = 5 };
        Assert.Equal(["b", "c"], S(Db.Sort(B("z"), spec)));
    }

    [Fact]
    public void Sort_UnconvertibleScoreFails()
    {
        Db.RPush(B("l"), [B("1"), B("x")]);
        var e = Assert.Throws<KvException>(() => Db.Sort(B("l"), new SortSpec()));
        Assert.Equal("ERR One or more scores can't be converted into double", e.Message);
    }

    [Fact]
    public void SortStore_ReplacesWithAListAndEmptyDeletes()
    {
        Db.SAdd(B("s"), [B("b"), B("a")]);
        Db.Set(B("dst"), B("old"));
        Assert.Equal(2, Db.SortStore(B("s"), new SortSpec { Alpha = true }, B("dst")));
        Assert.Equal(KeyType.List, Db.Type(B("dst")));
        Assert.Equal(["a", "b"], Db.LRange(B("dst"), 0, -1).ConvertAll(v => Encoding.UTF8.GetString(v)));
        Assert.Equal(0, Db.SortStore(B("missing"), new SortSpec(), B("dst")));
        Assert.False(Db.Exists(B("dst")));
    }

    [Fact]
    public void Sort_OfAnotherTypeIsWrongType()
    {
        Db.Set(B("k"), B("v"));
        Assert.Throws<WrongTypeException>(() => Db.Sort(B("k"), new SortSpec()));
    }
}
