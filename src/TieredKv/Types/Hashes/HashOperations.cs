using System.Globalization;
using TieredKv.Changes;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

public static class HashOperations
{
    /// <summary>HSET: sets the fields (a field named twice takes its last value); returns how many were new.</summary>
    public static long HSet(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<(byte[] Field, byte[] Value)> pairs)
    {
        if (pairs.Count == 0) throw new KvException("ERR wrong number of arguments for 'hset' command");
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        var hash = metadata ?? db.NewCollection(KeyType.Hash);
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        long added = 0;
        // A field named twice counts once and keeps its last value; one pair (the common case) needs no map.
        if (pairs.Count == 1) added += Put(pairs[0].Field, pairs[0].Value);
        else foreach (var (field, value) in Deduplicated(pairs)) added += Put(field, value);
        db.Commit(key, metadata, hash with { Count = hash.Count + added }, batch, "hset", KeyEventClass.Hash);
        return added;

        long Put(byte[] field, byte[] value)
        {
            var subKey = KeyCodec.SubKey(db.Index, hash.Version, field); // encoded once for the lookup and the write
            bool isNew = metadata == null || db.Engine.Get(subKey) == null;
            batch.Put(subKey, value);
            if (!isNew && hash.MinFieldExpireAtMs != 0) DiscardExpiry(db, batch, hash, field);
            return isNew ? 1 : 0;
        }
    }

    /// <summary>HSET discards a field's expiry, as Redis's does (HINCRBY keeps it).</summary>
    private static void DiscardExpiry(KvDatabase db, WriteBatch batch, KeyMetadata hash, byte[] field)
    {
        long expireAt = HashFieldEditor.ReadExpiry(db, hash, field);
        if (expireAt == 0) return;
        batch.Delete(KeyCodec.FieldTtl(db.Index, hash.Version, field));
        batch.Delete(KeyCodec.FieldExpiry(db.Index, hash.Version, expireAt, field));
    }

    private static Dictionary<byte[], byte[]> Deduplicated(IReadOnlyList<(byte[] Field, byte[] Value)> pairs)
    {
        var values = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        foreach (var (field, value) in pairs) values[field] = value;
        return values;
    }

    /// <summary>HSETNX: sets the field only if it is absent; true when it wrote.</summary>
    public static bool HSetNx(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata != null && db.GetElement(metadata, field) != null) return false;
        var hash = metadata ?? db.NewCollection(KeyType.Hash);
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        batch.Put(KeyCodec.SubKey(db.Index, hash.Version, field), value);
        db.Commit(key, metadata, hash with { Count = hash.Count + 1 }, batch, "hset", KeyEventClass.Hash);
        return true;
    }

    public static byte[]? HGet(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadLiveHash(key);
        return metadata == null ? null : db.GetElement(metadata, field);
    }

    /// <summary>HMGET: the values of the fields, null where absent.</summary>
    public static byte[]?[] HMGet(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadLiveHash(key);
        var values = new byte[]?[fields.Count];
        if (metadata != null)
            for (int i = 0; i < fields.Count; i++) values[i] = db.GetElement(metadata, fields[i]);
        return values;
    }

    /// <summary>HDEL: removes the fields; returns how many existed. The key goes with its last field.</summary>
    public static long HDel(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        if (metadata == null) return 0;
        if (metadata.MinFieldExpireAtMs == 0) return db.RemoveSubKeys(key, metadata, fields, "hdel", KeyEventClass.Hash);
        // Fields may have expiries: their records go with them.
        using var lease = db.RentBatch();
        var editor = new HashFieldEditor(db, metadata, lease.Batch);
        foreach (var field in fields) editor.Delete(field);
        if (editor.Removed == 0) return 0;
        db.Commit(key, metadata, editor.After, lease.Batch, "hdel", KeyEventClass.Hash);
        return editor.Removed;
    }

    public static long HLen(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadLiveHash(key)?.Count ?? 0;
    }

    /// <summary>HSTRLEN: the length of the field's value, 0 when absent.</summary>
    public static long HStrLen(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field) => db.HGet(key, field)?.Length ?? 0;

    public static bool HExists(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field) => db.HGet(key, field) != null;

    /// <summary>HKEYS: the fields in byte order.</summary>
    public static List<byte[]> HKeys(this KvDatabase db, ReadOnlySpan<byte> key) => db.HGetAll(key).ConvertAll(e => e.Field);

    /// <summary>HVALS: the values, in the byte order of their fields.</summary>
    public static List<byte[]> HVals(this KvDatabase db, ReadOnlySpan<byte> key) => db.HGetAll(key).ConvertAll(e => e.Value);

    /// <summary>HGETALL: every field and value, in field byte order.</summary>
    public static List<(byte[] Field, byte[] Value)> HGetAll(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadLiveHash(key);
        if (metadata == null) return [];
        using var it = db.IterateElements(metadata);
        return CollectionElements.ReadAll(it);
    }

    /// <summary>HINCRBY on a field holding a decimal 64-bit integer (absent = 0); returns the new value.</summary>
    public static long HIncrBy(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, long increment)
    {
        long result = 0;
        db.UpdateField(key, field, old =>
        {
            long current = 0;
            if (old != null && !RedisNumbers.TryParseInteger(old, out current)) throw new KvException("ERR hash value is not an integer");
            if ((increment < 0 && current < long.MinValue - increment) || (increment > 0 && current > long.MaxValue - increment))
                throw new KvException("ERR increment or decrement would overflow");
            result = current + increment;
            return System.Text.Encoding.ASCII.GetBytes(result.ToString(CultureInfo.InvariantCulture));
        }, "hincrby");
        return result;
    }

    /// <summary>HINCRBYFLOAT with the increment as typed would be (its shortest round-trip text); see the <see cref="LongDouble"/> overload.</summary>
    public static byte[] HIncrByFloat(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, double increment)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(increment.ToString("R", CultureInfo.InvariantCulture));
        if (!LongDouble.TryParse(text, out var value)) throw new KvException("ERR value is not a valid float");
        return db.HIncrByFloat(key, field, value);
    }

    /// <summary>
    /// HINCRBYFLOAT: adds in long double, as Redis does, and stores and returns the sum in Redis's
    /// "%.17Lf" formatting, so values drift exactly as they do in Redis.
    /// </summary>
    public static byte[] HIncrByFloat(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, LongDouble increment)
    {
        return db.UpdateField(key, field, old =>
        {
            var current = LongDouble.FromDouble(0);
            if (old != null && !LongDouble.TryParse(old, out current)) throw new KvException("ERR hash value is not a float");
            LongDouble result;
            try { result = current + increment; }
            catch (ArithmeticException) { throw new KvException("ERR increment would produce NaN or Infinity"); }
            if (result.IsInfinity) throw new KvException("ERR increment would produce NaN or Infinity");
            return System.Text.Encoding.ASCII.GetBytes(result.ToHumanString());
        }, "hincrbyfloat");
    }

    /// <summary>HRANDFIELD without a count: one random field, or null when the key is missing.</summary>
    public static byte[]? HRandField(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        var picks = db.HRandField(key, -1);
        return picks.Count == 0 ? null : picks[0].Field;
    }

    /// <summary>
    /// HRANDFIELD with a count: a positive count gives that many distinct fields (the whole hash when
    /// it has no more), a negative one |count| fields that may repeat. Values are null unless
    /// <paramref name="withValues"/>.
    /// </summary>
    public static List<(byte[] Field, byte[]? Value)> HRandField(this KvDatabase db, ReadOnlySpan<byte> key, long count, bool withValues = false)
    {
        // Redis refuses counts whose reply (two entries each with values) would overflow.
        if (count == long.MinValue || (withValues && Math.Abs(count) > long.MaxValue / 2)) throw new KvException("ERR value is out of range");
        using var _ = db.LockKey(key);
        var metadata = db.ReadLiveHash(key);
        if (metadata == null || count == 0) return [];
        var picks = db.SampleSubKeys(metadata, count);
        return picks.ConvertAll(p => (p.Field, withValues ? p.Value : null));
    }

    /// <summary>HSCAN: one step of a cursor over the fields (see <see cref="KvDatabase.ScanElements"/>); a missing key ends at once.</summary>
    public static (ulong Cursor, List<(byte[] Field, byte[] Value)> Entries) HScan(this KvDatabase db, ReadOnlySpan<byte> key, ulong cursor, ReadOnlySpan<byte> pattern = default, int count = 10)
    {
        using var _ = db.LockKey(key);
        return db.ScanElements(db.ReadLiveHash(key), cursor, pattern, count);
    }

    /// <summary>Reads, transforms and writes one field atomically: the primitive under HINCRBY and HINCRBYFLOAT.</summary>
    private static byte[] UpdateField(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, Func<byte[]?, byte[]> update, string changeEvent)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetLiveHash(key);
        var old = metadata == null ? null : db.GetElement(metadata, field);
        var updated = update(old);
        var hash = metadata ?? db.NewCollection(KeyType.Hash);
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        batch.Put(KeyCodec.SubKey(db.Index, hash.Version, field), updated);
        db.Commit(key, metadata, hash with { Count = hash.Count + (old == null ? 1 : 0) }, batch, changeEvent, KeyEventClass.Hash);
        return updated;
    }
}
