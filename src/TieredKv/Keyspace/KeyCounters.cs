using System.Buffers.Binary;
using TieredKv.Storage;

namespace TieredKv.Keyspace;

/// <summary>
/// Keeps each database's key count current (DBSIZE is O(1)) and durable. A write that creates or
/// deletes keys adds a delta record (<c>C | db | id</c>) to its own batch, so the count is exactly
/// as durable as the change; deltas commute, so WAL order does not matter. Now and then the deltas
/// are folded into the base record (id 0), so opening reads only a bounded number of them.
/// </summary>
internal sealed class KeyCounters
{
    private const int FoldThreshold = 4096;
    private readonly Db _db;
    private readonly long[] _counts;
    private readonly int[] _pendingDeltas;
    private long _nextId;
    private readonly Lock _foldLock = new();

    public KeyCounters(Db db, int databases)
    {
        _db = db;
        _counts = new long[databases];
        _pendingDeltas = new int[databases];
        ulong maxId = 0;
        for (int d = 0; d < databases; d++)
        {
            using var it = db.NewIterator(ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(KeyCodec.CounterTag, d)));
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                _counts[d] += BinaryPrimitives.ReadInt64LittleEndian(it.Value);
                maxId = Math.Max(maxId, BinaryPrimitives.ReadUInt64BigEndian(it.Key[2..]));
                _pendingDeltas[d]++;
            }
        }
        _nextId = (long)maxId;
    }

    public long Count(int db) => Interlocked.Read(ref _counts[db]);

    /// <summary>Adds a delta record to <paramref name="batch"/>; call <see cref="Applied"/> once the batch is written.</summary>
    public void AddDelta(WriteBatch batch, int db, long delta)
    {
        if (delta == 0) return;
        var value = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, delta);
        batch.Put(KeyCodec.Counter(db, (ulong)Interlocked.Increment(ref _nextId)), value);
    }

    public void Applied(int db, long delta)
    {
        if (delta == 0) return;
        Interlocked.Add(ref _counts[db], delta);
        if (Interlocked.Increment(ref _pendingDeltas[db]) >= FoldThreshold) Fold(db);
    }

    /// <summary>The database was emptied by a range deletion of its records (the caller holds it exclusively).</summary>
    public void Reset(int db)
    {
        Interlocked.Exchange(ref _counts[db], 0);
        Interlocked.Exchange(ref _pendingDeltas[db], 0);
    }

    /// <summary>Replaces the base and the deltas seen in one snapshot by their sum, in one batch.</summary>
    private void Fold(int db)
    {
        if (!_foldLock.TryEnter()) return; // another thread is folding
        try
        {
            using var snapshot = _db.GetSnapshot();
            var batch = new WriteBatch();
            long sum = 0;
            int folded = 0;
            using (var it = _db.NewIterator(ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(KeyCodec.CounterTag, db), snapshot)))
            {
                for (it.SeekToFirst(); it.Valid; it.Next())
                {
                    sum += BinaryPrimitives.ReadInt64LittleEndian(it.Value);
                    batch.Delete(it.Key);
                    folded++;
                }
            }
            var value = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(value, sum);
            batch.Put(KeyCodec.Counter(db, 0), value); // after the deletes: the base survives
            _db.Write(batch);
            Interlocked.Add(ref _pendingDeltas[db], 1 - folded);
        }
        finally
        {
            _foldLock.Exit();
        }
    }
}
