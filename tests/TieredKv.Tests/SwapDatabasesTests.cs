using System.Text;

namespace TieredKv.Tests;

/// <summary>SWAPDB in the library: an O(1) exchange of two numbers' storage slots, durable across reopening.</summary>
public sealed class SwapDatabasesTests : IDisposable
{
    private readonly StoreFixture _f = new(o => o with { Databases = 4 });

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string? S(byte[]? b) => b == null ? null : Encoding.UTF8.GetString(b);

    private void Fill()
    {
        _f.Store[0].Set(B("a"), B("zero"));
        _f.Store[0].RPush(B("l"), [B("x"), B("y")]);
        _f.Store[1].Set(B("a"), B("one"));
    }

    [Fact]
    public void Swap_ExchangesContentsAndCounts()
    {
        Fill();
        _f.Store.SwapDatabases(0, 1);
        Assert.Equal("one", S(_f.Store[0].Get(B("a"))));
        Assert.Equal("zero", S(_f.Store[1].Get(B("a"))));
        Assert.Equal(["x", "y"], _f.Store[1].LRange(B("l"), 0, -1).ConvertAll(e => S(e)!));
        Assert.Equal(1, _f.Store[0].DbSize());
        Assert.Equal(2, _f.Store[1].DbSize());
        Assert.Equal(0, _f.Store[0].Number);
        Assert.Equal(1, _f.Store[1].Number);
    }

    [Fact]
    public void Swap_SurvivesReopen()
    {
        Fill();
        _f.Store.SwapDatabases(0, 1);
        _f.Store.SwapDatabases(1, 3);
        _f.Reopen();
        Assert.Equal("one", S(_f.Store[0].Get(B("a"))));
        Assert.Null(_f.Store[1].Get(B("a")));
        Assert.Equal("zero", S(_f.Store[3].Get(B("a"))));
        Assert.Equal(["x", "y"], _f.Store[3].LRange(B("l"), 0, -1).ConvertAll(e => S(e)!));
        Assert.Equal(2, _f.Store[3].DbSize());
    }

    [Fact]
    public void FlushDb_AfterSwap_EmptiesOnlyTheNumberFlushed()
    {
        Fill();
        _f.Store.SwapDatabases(0, 1);
        _f.Store[0].FlushDb();
        Assert.Equal(0, _f.Store[0].DbSize());
        Assert.Equal("zero", S(_f.Store[1].Get(B("a"))));
        _f.Reopen();
        Assert.Null(_f.Store[0].Get(B("a")));
        Assert.Equal("zero", S(_f.Store[1].Get(B("a"))));
    }

    [Fact]
    public void Snapshot_AfterSwap_ExportsEachNumbersKeys()
    {
        Fill();
        _f.Store.SwapDatabases(0, 1);
        using var snapshot = _f.Store.OpenSnapshot();
        Assert.Equal(["a"], snapshot.Keys(0).Select(k => S(k.Key)!).ToList());
        Assert.Equal(["a", "l"], snapshot.Keys(1).Select(k => S(k.Key)!).ToList());
        Assert.Equal(2, snapshot.KeyCount(1));
        Assert.Equal("one", S(snapshot.ReadKey(0, B("a"))!.StringValue()));
    }

    [Fact]
    public void Changes_AfterSwap_NameTheNewNumber()
    {
        Fill();
        _f.Store.SwapDatabases(0, 2);
        var seen = new List<int>();
        using var subscription = _f.Store.Changes.Subscribe(change => seen.Add(change.Database));
        _f.Store[2].Set(B("b"), B("v"));
        Assert.Equal([2], seen.Distinct());
    }

    [Fact]
    public void Swap_OutOfRangeIsRefused()
    {
        var e = Assert.Throws<TieredKv.Keyspace.KvException>(() => _f.Store.SwapDatabases(0, 4));
        Assert.Equal("ERR DB index is out of range", e.Message);
    }
}
