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
}
