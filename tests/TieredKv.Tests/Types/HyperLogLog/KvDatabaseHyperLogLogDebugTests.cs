using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Types.HyperLogLog;

/// <summary>PFSELFTEST and PFDEBUG through the library API.</summary>
public sealed class KvDatabaseHyperLogLogDebugTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    public void SelfTest_Passes(int seed) => Assert.Null(HyperLogLogOperations.SelfTest(seed));

    [Fact]
    public void ToDense_ConvertsOnceAndKeepsTheCount()
    {
        Db.PfAdd(B("h"), [B("a"), B("b"), B("c")]);
        long before = Db.PfCount([B("h")]);
        Assert.Equal("sparse", Db.PfDebugEncoding(B("h")));
        Assert.True(Db.PfDebugToDense(B("h")));
        Assert.False(Db.PfDebugToDense(B("h")));
        Assert.Equal("dense", Db.PfDebugEncoding(B("h")));
        Assert.Equal(before, Db.PfCount([B("h")]));
    }

    [Fact]
    public void Registers_HoldOneRaisedRegisterPerElement()
    {
        Db.PfAdd(B("h"), [B("x")]);
        var registers = Db.PfDebugRegisters(B("h"));
        Assert.Equal(16384, registers.Length);
        Assert.Equal(1, registers.Count(r => r != 0));
    }

    [Fact]
    public void Decode_DescribesSparseOpcodesAndRefusesDense()
    {
        Db.PfAdd(B("h"), [B("a")]);
        Assert.Matches("^(Z:\\d+ )?v:\\d+,1( Z:\\d+)?$", Db.PfDebugDecode(B("h")));
        Db.PfDebugToDense(B("h"));
        Assert.Equal("ERR HLL encoding is not sparse", Assert.Throws<KvException>(() => Db.PfDebugDecode(B("h"))).Message);
    }

    [Fact]
    public void Debug_OfAMissingKeyOrAnotherStringFails()
    {
        Assert.Equal("ERR The specified key does not exist", Assert.Throws<KvException>(() => Db.PfDebugEncoding(B("missing"))).Message);
        Db.Set(B("s"), B("plain"));
        Assert.StartsWith("WRONGTYPE", Assert.Throws<KvException>(() => Db.PfDebugEncoding(B("s"))).Message, StringComparison.Ordinal);
    }
}
