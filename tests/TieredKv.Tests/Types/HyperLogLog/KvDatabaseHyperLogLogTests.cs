using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Types.HyperLogLog;

/// <summary>PFADD, PFCOUNT and PFMERGE through the library API.</summary>
public sealed class KvDatabaseHyperLogLogTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static List<byte[]> Elements(params string[] items) => [.. items.Select(B)];

    [Fact]
    public void PfAdd_CreatesKey_ThenReportsOnlyChanges()
    {
        Assert.True(Db.PfAdd(B("h"), Elements("a", "b", "c")));
        Assert.False(Db.PfAdd(B("h"), Elements("a", "b")));
        Assert.True(Db.PfAdd(B("empty"), []));
        Assert.True(HyperLogLogOperations.IsHyperLogLog(Db.Get(B("h"))!));
        Assert.Equal(3, Db.PfCount([B("h")]));
        Assert.Equal(0, Db.PfCount([B("empty")]));
        Assert.Equal(0, Db.PfCount([B("missing")]));
    }

    [Fact]
    public void PfCount_OfSeveralKeys_IsTheUnion_AndSurvivesReopen()
    {
        Db.PfAdd(B("x"), Elements("a", "b", "c"));
        Db.PfAdd(B("y"), Elements("c", "d"));
        _f.Reopen();
        Assert.Equal(4, Db.PfCount([B("x"), B("y"), B("missing")]));
    }

    [Fact]
    public void PfMerge_RaisesDestination_WhichIsASourceToo()
    {
        Db.PfAdd(B("dest"), Elements("z"));
        Db.PfAdd(B("x"), Elements("a", "b"));
        Db.PfAdd(B("y"), Elements("b", "c"));
        Db.PfMerge(B("dest"), [B("x"), B("y"), B("missing")]);
        Assert.Equal(4, Db.PfCount([B("dest")]));
        Db.PfMerge(B("fresh"), [B("x")]);
        Assert.Equal(2, Db.PfCount([B("fresh")]));
    }

    [Fact]
    public void PfAdd_OnOtherValues_RaisesTypedErrors()
    {
        Db.Set(B("s"), B("not an hll"));
        Assert.Equal(KvErrorKind.InvalidHll, Assert.Throws<KvException>(() => Db.PfAdd(B("s"), Elements("a"))).Kind);
        Assert.Equal(KvErrorKind.InvalidHll, Assert.Throws<KvException>(() => Db.PfCount([B("s")])).Kind);
        Db.SAdd(B("set"), [B("m")]);
        Assert.Equal(KvErrorKind.WrongType, Assert.Throws<WrongTypeException>(() => Db.PfAdd(B("set"), Elements("a"))).Kind);
    }
}
