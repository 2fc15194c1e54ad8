using System.Globalization;
using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>When SET writes (Redis's NX and XX).</summary>
public enum SetCondition
{
    Always,
    IfNotExists,
    IfExists,
}

/// <summary>The outcome of a SET: whether it wrote, and the old value when asked (GET option).</summary>
public readonly record struct SetResult(bool Written, byte[]? OldValue);

public static partial class StringOperations
{
    public static byte[]? Get(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadMetadata(key, KeyType.String)?.Value;
    }

    /// <summary>
    /// SET with its options. <paramref name="expireAtMs"/> (Unix ms) sets an expiry; otherwise the key
    /// loses its expiry unless <paramref name="keepTtl"/>. With <paramref name="returnOld"/> a non-string
    /// old value is an error (WRONGTYPE), as SET … GET.
    /// </summary>
    public static SetResult Set(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, SetCondition condition = SetCondition.Always,
        long? expireAtMs = null, bool keepTtl = false, bool returnOld = false)
    {
        using var _ = db.LockKey(key);
        var existing = returnOld ? db.ReadMetadata(key) : db.GetMetadata(key); // SET … GET reads the old value as GET does
        if (returnOld && existing != null && existing.Type != KeyType.String) throw new WrongTypeException();
        var old = existing?.Type == KeyType.String ? existing.Value : null;
        if (condition == SetCondition.IfNotExists && existing != null) return new SetResult(false, old);
        if (condition == SetCondition.IfExists && existing == null) return new SetResult(false, old);
        if (expireAtMs is { } at && at <= db.NowMs)
        {
            // An expiry in the past: the write happens and the key is gone at once. Redis 7.0 reports the
            // write as asked for, and "expired" when its cycle or an access finds the key: here, at once.
            if (existing != null) db.Commit(key, existing, null);
            if (db.Announcing)
            {
                if (existing == null) db.Changed(key, "new", KeyEventClass.New);
                db.Changed(key, "set", KeyEventClass.String);
                db.Changed(key, "expire", KeyEventClass.Generic);
                db.Changed(key, "expired", KeyEventClass.Expired);
            }
            return new SetResult(true, old);
        }
        long expireAt = expireAtMs ?? (keepTtl ? existing?.ExpireAtMs ?? 0 : 0);
        db.Commit(key, existing, new KeyMetadata { Type = KeyType.String, Value = value.ToArray(), ExpireAtMs = expireAt }, null, "set", KeyEventClass.String);
        if (expireAtMs != null) db.Changed(key, "expire", KeyEventClass.Generic);
        return new SetResult(true, old);
    }

    public static byte[]? GetDel(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.String);
        if (metadata == null) return null;
        db.Commit(key, metadata, null, null, "del", KeyEventClass.Generic);
        return metadata.Value;
    }

    /// <summary>GETEX: returns the value and sets (<paramref name="expireAtMs"/>) or removes (<paramref name="persist"/>) the expiry.</summary>
    public static byte[]? GetEx(this KvDatabase db, ReadOnlySpan<byte> key, long? expireAtMs = null, bool persist = false)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.String);
        if (metadata == null) return null;
        if (expireAtMs is { } at)
        {
            if (at <= db.NowMs) db.Commit(key, metadata, null, null, "del", KeyEventClass.Generic);
            else
            {
                if (at != metadata.ExpireAtMs) db.Commit(key, metadata, metadata with { ExpireAtMs = at });
                db.Changed(key, "expire", KeyEventClass.Generic);
            }
        }
        else if (persist && metadata.ExpireAtMs != 0)
        {
            db.Commit(key, metadata, metadata with { ExpireAtMs = 0 }, null, "persist", KeyEventClass.Generic);
        }
        return metadata.Value;
    }

    /// <summary>Values of several keys; null for missing keys and keys of other types (MGET).</summary>
    public static byte[]?[] MGet(this KvDatabase db, IReadOnlyList<byte[]> keys)
    {
        var values = new byte[]?[keys.Count];
        for (int i = 0; i < keys.Count; i++)
        {
            using var _ = db.LockKey(keys[i]);
            var metadata = db.ReadMetadata(keys[i]);
            values[i] = metadata?.Type == KeyType.String ? metadata.Value : null;
        }
        return values;
    }

    /// <summary>Sets several keys atomically (MSET), or with <paramref name="onlyIfNoneExist"/> only if none exists (MSETNX).</summary>
    public static bool MSet(this KvDatabase db, IReadOnlyList<(byte[] Key, byte[] Value)> pairs, bool onlyIfNoneExist = false)
    {
        using var _ = db.LockKeys(pairs.Select(p => p.Key));
        var current = new Dictionary<string, KeyMetadata?>();
        foreach (var (key, _) in pairs) current[Convert.ToHexString(key)] = db.GetMetadata(key);
        if (onlyIfNoneExist && current.Values.Any(m => m != null)) return false;

        var batch = new WriteBatch();
        long delta = 0;
        var finalValues = new Dictionary<string, (byte[] Key, KeyMetadata Metadata)>();
        var created = new bool[pairs.Count];
        int i = 0;
        foreach (var (key, value) in pairs)
        {
            string id = Convert.ToHexString(key);
            var after = new KeyMetadata { Type = KeyType.String, Value = value };
            created[i++] = current[id] == null;
            delta += db.Stage(batch, key, current[id], after);
            current[id] = after; // a key named twice: the later value wins, counted once
            finalValues[id] = (key, after);
        }
        db.Write(batch, delta);
        foreach (var (key, metadata) in finalValues.Values) db.Publish(key, metadata);
        if (db.Announcing)
        {
            // As Redis's MSET: per pair in order, "new" for a key it created, then "set".
            for (i = 0; i < pairs.Count; i++)
            {
                if (created[i]) db.Changed(pairs[i].Key, "new", KeyEventClass.New);
                db.Changed(pairs[i].Key, "set", KeyEventClass.String);
            }
        }
        return true;
    }

    /// <summary>Appends to a string (creating it); returns the new length.</summary>
    public static long Append(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> suffix)
    {
        var tail = suffix.ToArray();
        return db.UpdateString(key, old => Concat(old ?? [], tail), "append").Length;
    }

    public static long StrLen(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadMetadata(key, KeyType.String)?.Value.Length ?? 0;
    }

    /// <summary>GETRANGE: the substring between two inclusive offsets, negative ones counting from the end.</summary>
    public static byte[] GetRange(this KvDatabase db, ReadOnlySpan<byte> key, long start, long end)
    {
        var value = db.Get(key) ?? [];
        long length = value.Length;
        if (start < 0 && end < 0 && start > end) return [];
        if (start < 0) start = Math.Max(0, length + start);
        if (end < 0) end = Math.Max(0, length + end);
        if (end >= length) end = length - 1;
        if (length == 0 || start > end) return [];
        return value.AsSpan((int)start, (int)(end - start + 1)).ToArray();
    }

    /// <summary>SETRANGE: overwrites from <paramref name="offset"/>, zero-padding; returns the new length.</summary>
    public static long SetRange(this KvDatabase db, ReadOnlySpan<byte> key, long offset, ReadOnlySpan<byte> value)
    {
        if (offset < 0) throw new KvException("ERR offset is out of range");
        // Compared without adding: offset + length can overflow a long.
        if (value.Length > 0 && offset > KvDatabase.MaxStringLength - value.Length) throw new KvException("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        var bytes = value.ToArray();
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.String);
        var old = metadata?.Value ?? [];
        if (bytes.Length == 0) return old.Length; // nothing to write: no key is created
        var updated = new byte[Math.Max(old.Length, offset + bytes.Length)];
        old.CopyTo(updated, 0);
        bytes.CopyTo(updated, offset);
        db.Commit(key, metadata, new KeyMetadata { Type = KeyType.String, Value = updated, ExpireAtMs = metadata?.ExpireAtMs ?? 0 }, null, "setrange", KeyEventClass.String);
        return updated.Length;
    }

    /// <summary>INCRBY / DECRBY / INCR / DECR on a decimal 64-bit integer string.</summary>
    public static long IncrBy(this KvDatabase db, ReadOnlySpan<byte> key, long increment)
    {
        long result = 0;
        db.UpdateString(key, old =>
        {
            long current = 0;
            if (old != null && !RedisNumbers.TryParseInteger(old, out current)) throw new KvException("ERR value is not an integer or out of range");
            if ((increment < 0 && current < long.MinValue - increment) || (increment > 0 && current > long.MaxValue - increment))
                throw new KvException("ERR increment or decrement would overflow");
            result = current + increment;
            return System.Text.Encoding.ASCII.GetBytes(result.ToString(CultureInfo.InvariantCulture));
        }, "incrby");
        return result;
    }

    /// <summary>INCRBYFLOAT with the increment as typed would be (its shortest round-trip text); see the <see cref="LongDouble"/> overload.</summary>
    public static byte[] IncrByFloat(this KvDatabase db, ReadOnlySpan<byte> key, double increment)
    {
        if (double.IsNaN(increment)) throw new KvException("ERR value is not a valid float");
        if (double.IsInfinity(increment)) return db.IncrByFloat(key, LongDouble.FromDouble(increment));
        var text = System.Text.Encoding.ASCII.GetBytes(increment.ToString("R", CultureInfo.InvariantCulture));
        if (!LongDouble.TryParse(text, out var value)) throw new KvException("ERR value is not a valid float");
        return db.IncrByFloat(key, value);
    }

    /// <summary>
    /// INCRBYFLOAT: adds in long double, as Redis does (as HINCRBYFLOAT), and stores and returns the
    /// sum in Redis's "%.17Lf" formatting.
    /// </summary>
    public static byte[] IncrByFloat(this KvDatabase db, ReadOnlySpan<byte> key, LongDouble increment)
    {
        return db.UpdateString(key, old =>
        {
            var current = LongDouble.FromDouble(0);
            if (old != null && !LongDouble.TryParse(old, out current)) throw new KvException("ERR value is not a valid float");
            LongDouble result;
            try { result = current + increment; }
            catch (ArithmeticException) { throw new KvException("ERR increment would produce NaN or Infinity"); }
            if (result.IsInfinity) throw new KvException("ERR increment would produce NaN or Infinity");
            return System.Text.Encoding.ASCII.GetBytes(result.ToHumanString());
        }, "incrbyfloat");
    }

    /// <summary>
    /// Reads, transforms and writes a string atomically, keeping its expiry: the primitive under
    /// APPEND, INCR and the bit operations. <paramref name="update"/> gets null for a missing key.
    /// The change is reported as <paramref name="changeEvent"/> (a string-class event such as "setbit"), or not at all when null.
    /// </summary>
    public static byte[] UpdateString(this KvDatabase db, ReadOnlySpan<byte> key, Func<byte[]?, byte[]> update, string? changeEvent = null)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.String);
        var updated = update(metadata?.Value);
        if (updated.Length > KvDatabase.MaxStringLength) throw new KvException("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        var after = new KeyMetadata { Type = KeyType.String, Value = updated, ExpireAtMs = metadata?.ExpireAtMs ?? 0 };
        db.Commit(key, metadata, after);
        if (changeEvent != null) db.Changed(key, metadata, after, changeEvent, KeyEventClass.String);
        return updated;
    }

    /// <summary>
    /// Reads a string and maybe rewrites it atomically, keeping its expiry (PFADD, PFCOUNT's cached
    /// cardinality). <paramref name="update"/> gets null for a missing key and returns the new value,
    /// or null to leave the key as it is, with a result handed back to the caller. A rewrite is reported as
    /// <paramref name="changeEvent"/> (a string-class event such as "pfadd"), or not at all when null.
    /// </summary>
    public static T ModifyString<T>(this KvDatabase db, ReadOnlySpan<byte> key, Func<byte[]?, (byte[]? Value, T Result)> update, string? changeEvent = null)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.String);
        var (updated, result) = update(metadata?.Value);
        if (updated == null) return result;
        if (updated.Length > KvDatabase.MaxStringLength) throw new KvException("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        var after = new KeyMetadata { Type = KeyType.String, Value = updated, ExpireAtMs = metadata?.ExpireAtMs ?? 0 };
        db.Commit(key, metadata, after);
        if (changeEvent != null) db.Changed(key, metadata, after, changeEvent, KeyEventClass.String);
        return result;
    }

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var r = new byte[a.Length + b.Length];
        a.CopyTo(r, 0);
        b.CopyTo(r, a.Length);
        return r;
    }
}
