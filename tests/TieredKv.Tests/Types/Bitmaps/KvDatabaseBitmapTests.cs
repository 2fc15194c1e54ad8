using System.Text;
using TieredKv.Keyspace;
using TieredKv.Types.Bitmaps;

namespace TieredKv.Tests.Types.Bitmaps;

/// <summary>The bitmap operations through the library API (examples from Redis's documentation).</summary>
public sealed class KvDatabaseBitmapTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void SetBit_GrowsTheString_AndReturnsTheOldBit()
    {
        Assert.Equal(0, Db.SetBit(B("k"), 7, true));
        Assert.Equal(1, Db.SetBit(B("k"), 7, false));
        Assert.Equal(0, Db.SetBit(B("k"), 17, true));
        Assert.Equal(new byte[] { 0, 0, 0x40 }, Db.Get(B("k")));
        Assert.Equal(1, Db.GetBit(B("k"), 17));
        Assert.Equal(0, Db.GetBit(B("k"), 1000));
        Assert.Equal(0, Db.GetBit(B("missing"), 3));
        Assert.Equal(KvErrorKind.OutOfRange, Assert.Throws<KvException>(() => Db.SetBit(B("k"), -1, true)).Kind);
        Assert.Equal(KvErrorKind.TooLarge, Assert.Throws<KvException>(() => Db.SetBit(B("k"), 8L << 30, true)).Kind);
    }

    [Fact]
    public void BitCount_InBytesAndBits()
    {
        Db.Set(B("k"), B("foobar"));
        Assert.Equal(26, Db.BitCount(B("k")));
        Assert.Equal(4, Db.BitCount(B("k"), 0, 0));
        Assert.Equal(6, Db.BitCount(B("k"), 1, 1));
        Assert.Equal(17, Db.BitCount(B("k"), 5, 30, BitUnit.Bit));
        Assert.Equal(0, Db.BitCount(B("k"), -1, -5));
        Assert.Equal(0, Db.BitCount(B("missing")));
    }

    [Fact]
    public void BitPos_FindsFirstBit_WithZerosPastAnOpenEnd()
    {
        Db.Set(B("k"), [0xff, 0xf0, 0x00]);
        Assert.Equal(12, Db.BitPos(B("k"), 0));
        Db.Set(B("k"), [0x00, 0xff, 0xf0]);
        Assert.Equal(8, Db.BitPos(B("k"), 1, 0));
        Assert.Equal(16, Db.BitPos(B("k"), 1, 2));
        Assert.Equal(20, Db.BitPos(B("k"), 0, 2, -1));
        Assert.Equal(14, Db.BitPos(B("k"), 1, 14, -1, BitUnit.Bit));
        Db.Set(B("ones"), [0xff, 0xff]);
        Assert.Equal(16, Db.BitPos(B("ones"), 0));
        Assert.Equal(-1, Db.BitPos(B("ones"), 0, 0, -1));
        Assert.Equal(0, Db.BitPos(B("missing"), 0));
        Assert.Equal(-1, Db.BitPos(B("missing"), 1));
    }

    [Fact]
    public void BitOp_CombinesPaddedSources_AndDeletesOnEmpty()
    {
        Db.Set(B("a"), B("foobar"));
        Db.Set(B("b"), B("abcdef"));
        Assert.Equal(6, Db.BitOp(BitOperation.And, B("dest"), [B("a"), B("b")]));
        Assert.Equal("`bc`ab", Encoding.ASCII.GetString(Db.Get(B("dest"))!));
        Db.Set(B("short"), [0x0f]);
        Db.Set(B("ff"), B("ff"));
        Assert.Equal(2, Db.BitOp(BitOperation.Xor, B("x"), [B("short"), B("ff")]));
        Assert.Equal("if", Encoding.ASCII.GetString(Db.Get(B("x"))!));
        Assert.Equal(1, Db.BitOp(BitOperation.Not, B("n"), [B("short")]));
        Assert.Equal(new byte[] { 0xf0 }, Db.Get(B("n")));
        Assert.Equal(0, Db.BitOp(BitOperation.Or, B("n"), [B("missing")]));
        Assert.Null(Db.Get(B("n")));
        Assert.Throws<KvException>(() => Db.BitOp(BitOperation.Not, B("n"), [B("a"), B("b")]));
    }

    [Fact]
    public void BitField_RunsTypedOperations_WithOverflowPolicies()
    {
        var replies = Db.BitField(B("k"),
        [
            BitFieldOperation.IncrBy(signed: false, 8, 0, 250, BitFieldOverflow.Sat),
            BitFieldOperation.IncrBy(signed: false, 8, 0, 10, BitFieldOverflow.Sat),
            BitFieldOperation.IncrBy(signed: false, 8, 0, 10, BitFieldOverflow.Fail),
            BitFieldOperation.Set(signed: true, 5, 8, 15),
            BitFieldOperation.IncrBy(signed: true, 5, 8, 1),
            BitFieldOperation.Get(signed: false, 8, 0),
        ]);
        Assert.Equal(new long?[] { 250, 255, null, 0, -16, 255 }, replies);
        Assert.Equal(2, Db.Get(B("k"))!.Length);

        Assert.Equal(new long?[] { 0 }, Db.BitField(B("missing"), [BitFieldOperation.Get(signed: true, 64, 100)]));
        Assert.Null(Db.Get(B("missing")));
        Assert.Throws<KvException>(() => BitFieldOperation.Get(signed: false, 64, 0));
    }
}
