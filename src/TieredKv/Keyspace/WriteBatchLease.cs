using TieredKv.Storage.Format;

namespace TieredKv.Keyspace;

/// <summary>
/// A batch rented from the <see cref="WriteBatchPool"/> for one command; disposing gives it back. Dispose
/// only after the commit: the engine has applied the batch (WAL buffer and memtable) when Write returns.
/// </summary>
internal readonly struct WriteBatchLease(WriteBatchPool pool) : IDisposable
{
    public WriteBatch Batch { get; } = pool.Rent();

    public void Dispose() => pool.Return(Batch);
}
