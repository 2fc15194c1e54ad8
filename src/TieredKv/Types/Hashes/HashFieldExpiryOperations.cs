using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// Hash field expiry, as Redis 7.4 (HEXPIRE … HPERSIST) and 8.0 (HGETEX, HSETEX, HGETDEL) have it.
/// A field's expiry lives in two records beside it (see <see cref="HashFieldEditor"/>); the hash's
/// metadata keeps a lower bound of its earliest field expiry, indexed store-wide by
/// <c>F | db | expireAt | key</c> for the active cycle. Every hash operation first removes the
/// fields already due (one batch, "hexpired" and, for the last field, "del"), so no read ever
/// returns an expired field and HLEN is exact. Generic key commands (EXISTS, TYPE, DBSIZE) see a
/// hash whose fields have all expired until the active cycle or a hash command removes it.
/// </summary>
public static class HashFieldExpiryOperations
{
    /// <summary>Redis's largest field expiry: 2^46 − 1 ms (EB_EXPIRE_TIME_MAX, 2^48 − 1, over 4).</summary>
    public const long MaxExpireAtMs = (1L << 46) - 1;

    /// <summary>Reply codes of HEXPIRE and its family.</summary>
    public const long NoSuchField = -2, ConditionNotMet = 0, ExpirySet = 1, FieldDeleted = 2;

    /// <summary>Reply codes of HPERSIST and HTTL for a field without an expiry.</summary>
    public const long NoExpiry = -1, Persisted = 1;

    /// <summary>
    /// HPEXPIREAT (and HEXPIRE, HPEXPIRE, HEXPIREAT after conversion): per field, −2 absent, 0 the
    /// condition refused, 1 set, 2 deleted because the time has passed. Conditions compare with the
    /// field's expiry; a field without one counts as never expiring (GT refuses, LT accepts).
    /// </summary>
    public static long[] HExpireAt(this KvDatabase db, ReadOnlySpan<byte> key, long expireAtMs, ExpireCondition condition, IReadOnlyList<byte[]> fields)
    {
        var results = new long[fields.Count];
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata == null)
        {
            Array.Fill(results, NoSuchField);
            return results;
        }
        using var lease = db.RentBatch();
        var editor = new HashFieldEditor(db, metadata, lease.Batch);
        bool past = expireAtMs <= db.NowMs;
        for (int i = 0; i < fields.Count; i++)
        {
            var state = editor.Read(fields[i]);
            if (!state.Exists)
            {
                results[i] = NoSuchField;
                continue;
            }
            long current = state.ExpireAtMs;
            bool allowed = condition switch
            {
                ExpireCondition.Nx => current == 0,
                ExpireCondition.Xx => current != 0,
                ExpireCondition.Gt => current != 0 && expireAtMs > current,
                ExpireCondition.Lt => current == 0 || expireAtMs < current,
                _ => true,
            };
            if (!allowed) results[i] = ConditionNotMet;
            else if (past) results[i] = editor.Delete(fields[i]) ? FieldDeleted : NoSuchField;
            else
            {
                editor.SetExpiry(fields[i], expireAtMs);
                results[i] = ExpirySet;
            }
        }
        if (editor.Removed + editor.TtlsChanged == 0) return results;
        var after = editor.After;
        db.Commit(key, metadata, after, lease.Batch);
        // Redis reports one event for the command: "hdel" when the time had passed, else "hexpire".
        db.Changed(key, editor.Removed > 0 ? "hdel" : "hexpire", KeyEventClass.Hash);
        if (after == null) db.Changed(key, "del", KeyEventClass.Generic);
        return results;
    }

    /// <summary>HPERSIST: per field, −2 absent, −1 no expiry, 1 expiry removed.</summary>
    public static long[] HPersist(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields)
    {
        var results = new long[fields.Count];
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata == null)
        {
            Array.Fill(results, NoSuchField);
            return results;
        }
        using var lease = db.RentBatch();
        var editor = new HashFieldEditor(db, metadata, lease.Batch);
        for (int i = 0; i < fields.Count; i++)
        {
            var state = editor.Read(fields[i]);
            results[i] = !state.Exists ? NoSuchField : editor.ClearExpiry(fields[i]) ? Persisted : NoExpiry;
        }
        if (editor.TtlsChanged == 0) return results;
        // The expiry floor stays: a lower bound, made exact when it passes.
        db.Commit(key, metadata, editor.After, lease.Batch);
        db.Changed(key, "hpersist", KeyEventClass.Hash);
        return results;
    }

    /// <summary>
    /// HPEXPIRETIME (<paramref name="remaining"/> false) or HPTTL (true): per field, −2 absent,
    /// −1 no expiry, else the expiry in Unix ms or the milliseconds left.
    /// </summary>
    public static long[] HFieldExpiry(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields, bool remaining)
    {
        var results = new long[fields.Count];
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        long now = db.NowMs;
        for (int i = 0; i < fields.Count; i++)
        {
            if (metadata == null || db.GetElement(metadata, fields[i]) == null)
            {
                results[i] = NoSuchField;
                continue;
            }
            long expireAt = metadata.MinFieldExpireAtMs == 0 ? 0 : HashFieldEditor.ReadExpiry(db, metadata, fields[i]);
            results[i] = expireAt == 0 ? NoExpiry : remaining ? Math.Max(0, expireAt - now) : expireAt;
        }
        return results;
    }

    /// <summary>HGETDEL: the fields' values (null where absent), removing them; the key goes with its last field.</summary>
    public static byte[]?[] HGetDel(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields)
    {
        var values = new byte[]?[fields.Count];
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata == null) return values;
        using var lease = db.RentBatch();
        var editor = new HashFieldEditor(db, metadata, lease.Batch);
        for (int i = 0; i < fields.Count; i++)
        {
            values[i] = editor.Read(fields[i]).Value;
            editor.Delete(fields[i]);
        }
        if (editor.Removed == 0) return values;
        var after = editor.After;
        db.Commit(key, metadata, after, lease.Batch);
        db.Changed(key, "hdel", KeyEventClass.Hash);
        if (after == null) db.Changed(key, "del", KeyEventClass.Generic);
        return values;
    }

    /// <summary>
    /// HGETEX: the fields' values (null where absent), then <paramref name="action"/> on the expiry of
    /// those present: none, PERSIST, or <paramref name="expireAtMs"/> (a time past deletes them).
    /// </summary>
    public static byte[]?[] HGetEx(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields, HashFieldTtlAction action = HashFieldTtlAction.None, long expireAtMs = 0)
    {
        if (action == HashFieldTtlAction.KeepTtl) throw new ArgumentException("HGETEX has no KEEPTTL", nameof(action));
        var values = new byte[]?[fields.Count];
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata == null) return values;
        using var lease = db.RentBatch();
        var editor = new HashFieldEditor(db, metadata, lease.Batch);
        bool past = expireAtMs <= db.NowMs;
        for (int i = 0; i < fields.Count; i++)
        {
            var state = editor.Read(fields[i]);
            values[i] = state.Value;
            if (!state.Exists) continue;
            if (action == HashFieldTtlAction.Persist) editor.ClearExpiry(fields[i]);
            else if (action == HashFieldTtlAction.ExpireAt && past) editor.Delete(fields[i]);
            else if (action == HashFieldTtlAction.ExpireAt) editor.SetExpiry(fields[i], expireAtMs);
        }
        if (editor.Removed + editor.TtlsChanged == 0) return values;
        var after = editor.After;
        db.Commit(key, metadata, after, lease.Batch);
        if (editor.TtlsChanged > 0) db.Changed(key, action == HashFieldTtlAction.Persist ? "hpersist" : "hexpire", KeyEventClass.Hash);
        else db.Changed(key, "hdel", KeyEventClass.Hash);
        if (after == null) db.Changed(key, "del", KeyEventClass.Generic);
        return values;
    }

    /// <summary>
    /// HSETEX: sets every field if <paramref name="condition"/> holds (false, with nothing written,
    /// when it does not), then applies <paramref name="action"/> to their expiry: none discards it (as
    /// HSET), KEEPTTL keeps it, or <paramref name="expireAtMs"/> sets it (a time past deletes the fields).
    /// </summary>
    public static bool HSetEx(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<(byte[] Field, byte[] Value)> pairs,
        HashFieldSetCondition condition = HashFieldSetCondition.Always, HashFieldTtlAction action = HashFieldTtlAction.None, long expireAtMs = 0)
    {
        if (action == HashFieldTtlAction.Persist) throw new ArgumentException("HSETEX has no PERSIST", nameof(action));
        if (pairs.Count == 0) throw new KvException("ERR wrong number of arguments for 'hsetex' command");
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata == null && condition == HashFieldSetCondition.AllExist) return false;
        using var lease = db.RentBatch();
        var editor = new HashFieldEditor(db, metadata, lease.Batch);
        if (condition != HashFieldSetCondition.Always)
        {
            bool wantExisting = condition == HashFieldSetCondition.AllExist;
            foreach (var (field, _) in pairs)
                if (editor.Read(field).Exists != wantExisting) return false;
        }
        bool past = expireAtMs <= db.NowMs;
        foreach (var (field, value) in pairs)
        {
            editor.Put(field, value, keepTtl: action is HashFieldTtlAction.KeepTtl or HashFieldTtlAction.ExpireAt);
            if (action != HashFieldTtlAction.ExpireAt) continue;
            if (past) editor.Delete(field);
            else editor.SetExpiry(field, expireAtMs);
        }
        var after = editor.After;
        db.Commit(key, metadata, after, lease.Batch);
        if (db.Announcing)
        {
            if (metadata == null) db.Changed(key, "new", KeyEventClass.New); // Redis creates the key first
            db.Changed(key, "hset", KeyEventClass.Hash);
            if (action == HashFieldTtlAction.ExpireAt) db.Changed(key, past ? "hdel" : "hexpire", KeyEventClass.Hash);
            if (after == null) db.Changed(key, "del", KeyEventClass.Generic);
        }
        return true;
    }

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
