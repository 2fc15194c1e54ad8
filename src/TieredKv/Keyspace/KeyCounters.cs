using System.Buffers.Binary;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv.Keyspace;

/// <summary>
/// Keeps each database's key count current (DBSIZE is O(1)) and exactly as durable as the keys.
/// A write that creates or deletes keys adds a delta record <c>C | db | id</c> to its own batch;
/// deltas commute, so WAL order does not matter. Every 4,096 deltas the base record
/// <c>C | db | 0</c> = (count, folded-up-to id) absorbs the deltas whose fate is known, in memory,
/// with one write; the compaction filter later drops the absorbed deltas, and opening reads only
/// the base plus the deltas after it (a seek, not a scan over old records).
/// </summary>
internal sealed class KeyCounters
{
    private const int FoldThreshold = 4096;
    private readonly Db _db;
    private readonly Database[] _databases;
    private long _nextId;

    /// <summary>One database's counters; its lock orders id assignment against folding.</summary>
    private sealed class Database
    {
        public readonly Lock Lock = new();
        public long Count;
        public long BaseCount;
        public ulong FoldedUpTo;
        public readonly SortedDictionary<ulong, long> Settled = []; // applied (or abandoned, as 0), not yet folded
        public readonly SortedSet<ulong> InFlight = [];
    }

    public KeyCounters(Db db, int databases)
    {
        _db = db;
        _databases = new Database[databases];
        ulong maxId = 0;
        for (int d = 0; d < databases; d++)
        {
            var state = _databases[d] = new Database();
            var stored = db.Get(KeyCodec.Counter(d, 0));
            if (stored != null) (state.BaseCount, state.FoldedUpTo) = DecodeBase(stored);
            state.Count = state.BaseCount;
            using var it = db.NewIterator(ReadOptions.ForPrefix(KeyCodec.DatabasePrefix(KeyCodec.CounterTag, d)));
            for (it.Seek(KeyCodec.Counter(d, state.FoldedUpTo + 1)); it.Valid; it.Next())
            {
                ulong id = BinaryPrimitives.ReadUInt64BigEndian(it.Key[2..]);
                long delta = BinaryPrimitives.ReadInt64LittleEndian(it.Value);
                state.Count += delta;
                state.Settled[id] = delta;
                maxId = Math.Max(maxId, id);
            }
            maxId = Math.Max(maxId, state.FoldedUpTo);
        }
        _nextId = (long)maxId;
    }

    public long Count(int db) => Interlocked.Read(ref _databases[db].Count);

    /// <summary>Adds a delta record to <paramref name="batch"/>. Report its fate with <see cref="Applied"/> or <see cref="Abandoned"/>; returns its id (0 = none added).</summary>
    public ulong AddDelta(WriteBatch batch, int db, long delta)
    {
        if (delta == 0) return 0;
        var state = _databases[db];
        ulong id;
        lock (state.Lock)
        {
            id = (ulong)Interlocked.Increment(ref _nextId);
            state.InFlight.Add(id);
        }
        var value = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, delta);
        batch.Put(KeyCodec.Counter(db, id), value);
        return id;
    }

    /// <summary>The batch holding delta <paramref name="id"/> is written.</summary>
    public void Applied(int db, ulong id, long delta)
    {
        if (id == 0) return;
        var state = _databases[db];
        Interlocked.Add(ref state.Count, delta);
        Settle(db, state, id, delta);
    }

    /// <summary>The batch holding delta <paramref name="id"/> failed: the delta never happened.</summary>
    public void Abandoned(int db, ulong id)
    {
        if (id != 0) Settle(db, _databases[db], id, 0);
    }

    /// <summary>The database was emptied by range deletions of its records (the caller holds it exclusively).</summary>
    public void Reset(int db)
    {
        var state = _databases[db];
        lock (state.Lock)
        {
            Interlocked.Exchange(ref state.Count, 0);
            state.BaseCount = 0;
            state.FoldedUpTo = 0;
            state.Settled.Clear();
        }
    }

    /// <summary>For the compaction filter: deltas at or below this id are in the base record.</summary>
    public static ulong FoldedUpTo(byte[]? baseRecord) => baseRecord == null ? 0 : DecodeBase(baseRecord).FoldedUpTo;

    private void Settle(int db, Database state, ulong id, long delta)
    {
        lock (state.Lock)
        {
            state.InFlight.Remove(id);
            state.Settled[id] = delta;
            if (state.Settled.Count >= FoldThreshold) Fold(db, state);
        }
    }

    /// <summary>Moves every settled delta below the first one still in flight into the base record. Caller holds the lock.</summary>
    private void Fold(int db, Database state)
    {
        ulong watermark = state.InFlight.Count > 0 ? state.InFlight.Min - 1 : (ulong)Interlocked.Read(ref _nextId);
        long sum = 0;
        var folded = new List<ulong>();
        foreach (var (id, delta) in state.Settled)
        {
            if (id > watermark) break;
            sum += delta;
            folded.Add(id);
        }
        if (folded.Count == 0) return;
        var batch = new WriteBatch();
        batch.Put(KeyCodec.Counter(db, 0), EncodeBase(state.BaseCount + sum, watermark));
        _db.Write(batch);
        state.BaseCount += sum;
        state.FoldedUpTo = watermark;
        foreach (ulong id in folded) state.Settled.Remove(id);
    }

    /// <summary>The key count of database <paramref name="db"/> as of a snapshot: its base record plus the deltas after it.</summary>
    public static long CountAt(Db engine, int db, Snapshot snapshot)
    {
        var read = new ReadOptions { Snapshot = snapshot, FillCache = false };
        var stored = engine.Get(KeyCodec.Counter(db, 0), read);
        var (count, foldedUpTo) = stored == null ? (0L, 0UL) : DecodeBase(stored);
        using var it = engine.NewIterator(new ReadOptions
        {
            Snapshot = snapshot,
            FillCache = false,
            LowerBound = KeyCodec.Counter(db, foldedUpTo + 1),
            UpperBound = ReadOptions.PrefixSuccessor(KeyCodec.DatabasePrefix(KeyCodec.CounterTag, db)),
        });
        for (it.SeekToFirst(); it.Valid; it.Next()) count += BinaryPrimitives.ReadInt64LittleEndian(it.Value);
        return count;
    }

    private static byte[] EncodeBase(long count, ulong foldedUpTo)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(value, count);
        BinaryPrimitives.WriteUInt64LittleEndian(value.AsSpan(8), foldedUpTo);
        return value;
    }

    private static (long Count, ulong FoldedUpTo) DecodeBase(byte[] value) =>
        value.Length == 16
            ? (BinaryPrimitives.ReadInt64LittleEndian(value), BinaryPrimitives.ReadUInt64LittleEndian(value.AsSpan(8)))
            : throw new KvException($"ERR corrupt key-count record ({value.Length} bytes)");
}
