using TieredKv.Types.HyperLogLog;

namespace TieredKv.Tests.Types.HyperLogLog;

/// <summary>The HLL structure where no short element reaches: ranks above 32 in a sparse value, and the sparse encoding's edges.</summary>
public sealed class HyperLogLogSketchTests
{
    [Fact]
    public void Empty_Value_Is_Redis_Layout()
    {
        var bytes = HyperLogLogSketch.CreateEmpty().ToArray();
        Assert.Equal([.. "HYLL"u8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF], bytes);
        Assert.Equal(0UL, HyperLogLogSketch.From(bytes).Count());
    }

    [Fact]
    public void Rank_Above_32_Promotes_To_Dense()
    {
        var hll = HyperLogLogSketch.CreateEmpty();
        Assert.Equal(1, hll.Raise(100, 7));
        Assert.False(hll.IsDense);
        Assert.Equal(1, hll.Raise(16383, 40));
        Assert.True(hll.IsDense);
        var bytes = hll.ToArray();
        Assert.Equal(HyperLogLogSketch.DenseSize, bytes.Length);
        Assert.True(HyperLogLogSketch.IsValid(bytes));
        Assert.Equal(7, hll.Register(100));
        Assert.Equal(40, hll.Register(16383));
        Assert.Equal(0, hll.Register(16382));
        Assert.Equal(0, hll.Raise(16383, 39));
        Assert.Equal(2UL, hll.Count());
    }

    [Fact]
    public void Sparse_Splits_And_Merges_Runs()
    {
        var hll = HyperLogLogSketch.CreateEmpty();
        for (int i = 0; i < 4; i++) Assert.Equal(1, hll.Raise(1000 + i, 3));
        // XZERO(1000) VAL(3, run 4) XZERO(15380): the four VALs merged into one opcode.
        Assert.Equal(16 + 2 + 1 + 2, hll.ToArray().Length);
        for (int i = 0; i < 4; i++) Assert.Equal(3, hll.Register(1000 + i));
        Assert.Equal(1, hll.Raise(1001, 5));
        Assert.Equal(5, hll.Register(1001));
        Assert.Equal(3, hll.Register(1002));
        Assert.False(hll.CacheValid);
    }

    [Fact]
    public void Every_Register_Round_Trips_Through_Dense_Packing()
    {
        var hll = HyperLogLogSketch.CreateEmpty();
        Assert.Equal(1, hll.Raise(0, 33));
        for (int i = 0; i < HyperLogLogSketch.Registers; i++) hll.Raise(i, 1 + i % 63);
        for (int i = 0; i < HyperLogLogSketch.Registers; i++) Assert.Equal(Math.Max(1 + i % 63, i == 0 ? 33 : 0), hll.Register(i));
    }
}
