using TieredKv.Keyspace;

namespace TieredKv.Tests.Keyspace;

public sealed class WriteBatchPoolTests
{
    [Fact]
    public void Rent_ReusesAReturnedBatch_Emptied()
    {
        var pool = new WriteBatchPool();
        var batch = pool.Rent();
        batch.Put("k"u8, "v"u8);
        pool.Return(batch);
        var again = pool.Rent();
        Assert.Same(batch, again);
        Assert.Equal(0, again.Count);
    }

    [Fact]
    public void Return_DropsABatchThatGrewLarge()
    {
        var pool = new WriteBatchPool();
        var big = pool.Rent();
        big.Put("k"u8, new byte[100_000]);
        pool.Return(big);
        Assert.NotSame(big, pool.Rent());
    }
}
