using TieredKv.Storage.Format;

namespace TieredKv.Keyspace;

/// <summary>
/// Reusable write batches for single-key commands. Every SET, HSET or DEL builds a small batch that
/// the engine has applied (WAL buffer and memtable) by the time Write returns; pooling them removes
/// an object, a buffer and its array from every write command.
/// </summary>
internal sealed class WriteBatchPool
{
    // Batches that grew past this (a huge value) are left to the GC rather than kept alive.
    private const int MaxPooledBytes = 64 * 1024;
    private readonly WriteBatch?[] _slots = new WriteBatch?[Math.Max(8, Environment.ProcessorCount * 4)];

    public WriteBatch Rent()
    {
        int start = Environment.CurrentManagedThreadId;
        for (int i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[(start + i) % _slots.Length];
            if (Volatile.Read(ref slot) is not null && Interlocked.Exchange(ref slot, null) is { } batch) return batch;
        }
        return new WriteBatch();
    }

    public void Return(WriteBatch batch)
    {
        if (batch.ByteSize > MaxPooledBytes) return;
        batch.Clear();
        int start = Environment.CurrentManagedThreadId;
        for (int i = 0; i < _slots.Length; i++)
        {
            ref var slot = ref _slots[(start + i) % _slots.Length];
            if (Volatile.Read(ref slot) is null && Interlocked.CompareExchange(ref slot, batch, null) is null) return;
        }
    }
}
