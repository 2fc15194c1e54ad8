using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// The mechanics of hash field expiry that the database core needs beside the hash commands
/// (<see cref="HashFieldExpiryOperations"/>): removing the fields already due (on every hash lookup,
/// and for the active cycle), and finding them for an export. Records and floor: format-spec/keyspace.md.
/// </summary>
internal static class HashFieldExpiry
{
    // ------------------------------------------------------------ export

    /// <summary>
    /// The fields of <paramref name="hash"/> whose expiry is at or before <paramref name="nowMs"/> as
    /// <paramref name="snapshot"/> sees them (expired, not yet removed): an export leaves them out. Null when there are none.
    /// </summary>
    internal static HashSet<byte[]>? DueFields(Db engine, int db, KeyMetadata hash, long nowMs, Snapshot? snapshot)
    {
        if (hash.Type != KeyType.Hash || hash.MinFieldExpireAtMs == 0 || hash.MinFieldExpireAtMs > nowMs) return null;
        var due = new HashSet<byte[]>(HotTier.ByteArrayComparer.Instance);
        using var it = engine.NewIterator(new ReadOptions
        {
            Snapshot = snapshot, FillCache = false,
            LowerBound = KeyCodec.FieldExpiryPrefix(db, hash.Version),
            UpperBound = KeyCodec.FieldExpiry(db, hash.Version, nowMs + 1, []),
        });
        for (it.SeekToFirst(); it.Valid; it.Next()) due.Add(KeyCodec.DecodeFieldExpiry(it.Key).Field);
        return due.Count == 0 ? null : due;
    }

    /// <summary>Whether any field of <paramref name="hash"/> has an expiry (one seek; the floor alone may be stale).</summary>
    internal static bool HasFieldExpiries(Db engine, int db, KeyMetadata hash, Snapshot? snapshot)
    {
        if (hash.Type != KeyType.Hash || hash.MinFieldExpireAtMs == 0) return false;
        using var it = engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.FieldExpiryPrefix(db, hash.Version), snapshot));
        it.SeekToFirst();
        return it.Valid;
    }

    // ------------------------------------------------------------ expiring due fields

    /// <summary>The live hash at <paramref name="key"/>, its fields already due removed first. Caller holds the key.</summary>
    internal static KeyMetadata? GetLiveHash(this KvDatabase db, ReadOnlySpan<byte> key) => db.WithoutDueFields(key, db.GetMetadata(key, KeyType.Hash));

    /// <summary>As <see cref="GetLiveHash"/> for a read command's lookup: counted as a keyspace hit or miss.</summary>
    internal static KeyMetadata? ReadLiveHash(this KvDatabase db, ReadOnlySpan<byte> key) => db.WithoutDueFields(key, db.ReadMetadata(key, KeyType.Hash));

    private static KeyMetadata? WithoutDueFields(this KvDatabase db, ReadOnlySpan<byte> key, KeyMetadata? metadata) =>
        metadata is { MinFieldExpireAtMs: not 0 } && metadata.MinFieldExpireAtMs <= db.NowMs
            ? db.ExpireDueFields(key, metadata, int.MaxValue, out _)
            : metadata;

    /// <summary>
    /// Removes up to <paramref name="limit"/> fields of <paramref name="hash"/> whose expiry has passed, in
    /// expiry order, and moves the hash's expiry floor to the next field expiry (0 when none is left). The
    /// key goes with its last field. Reports "hexpired" (once) and "del". Returns the hash after. Caller holds the key.
    /// </summary>
    internal static KeyMetadata? ExpireDueFields(this KvDatabase db, ReadOnlySpan<byte> key, KeyMetadata hash, int limit, out int removed)
    {
        long now = db.NowMs;
        removed = 0;
        long next = 0;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        using (var it = db.Engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.FieldExpiryPrefix(db.Index, hash.Version))))
        {
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                var (expireAt, field) = KeyCodec.DecodeFieldExpiry(it.Key);
                if (expireAt > now || removed >= limit)
                {
                    next = expireAt;
                    break;
                }
                batch.Delete(it.Key.ToArray());
                batch.Delete(KeyCodec.FieldTtl(db.Index, hash.Version, field));
                batch.Delete(KeyCodec.SubKey(db.Index, hash.Version, field));
                removed++;
            }
        }
        if (removed == 0 && next == hash.MinFieldExpireAtMs) return hash;
        long count = hash.Count - removed;
        var after = count <= 0 ? null : hash with { Count = count, MinFieldExpireAtMs = next };
        db.Commit(key, hash, after, batch);
        if (removed > 0)
        {
            db.Changed(key, "hexpired", KeyEventClass.Hash);
            if (after == null) db.Changed(key, "del", KeyEventClass.Generic);
        }
        return after;
    }

    /// <summary>
    /// For the active expiry cycle: expires up to <paramref name="limit"/> due fields of the hash at
    /// <paramref name="key"/> if its expiry floor is still <paramref name="floorMs"/> (the index entry
    /// the cycle found); an entry no longer matching its key is dropped. Returns the fields removed.
    /// </summary>
    internal static int ExpireHashFieldsIfDue(this KvDatabase db, byte[] key, long floorMs, int limit)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key);
        if (metadata is { Type: KeyType.Hash } && metadata.MinFieldExpireAtMs == floorMs)
        {
            if (floorMs > db.NowMs) return 0;
            db.ExpireDueFields(key, metadata, limit, out int removed);
            return removed;
        }
        var batch = new WriteBatch();
        batch.Delete(KeyCodec.HashExpiry(db.Index, floorMs, key));
        db.Engine.Write(batch);
        return 0;
    }
}
