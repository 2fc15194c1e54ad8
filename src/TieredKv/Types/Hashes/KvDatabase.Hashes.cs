using System.Globalization;
using TieredKv.Changes;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

public sealed partial class KvDatabase
{
    /// <summary>HSET: sets the fields (a field named twice takes its last value); returns how many were new.</summary>
    public long HSet(ReadOnlySpan<byte> key, IReadOnlyList<(byte[] Field, byte[] Value)> pairs)
    {
        if (pairs.Count == 0) throw new KvException("ERR wrong number of arguments for 'hset' command");
        var values = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        foreach (var (field, value) in pairs) values[field] = value;

        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        var hash = metadata ?? NewCollection(KeyType.Hash);
        var batch = new WriteBatch();
        long added = 0;
        foreach (var (field, value) in values)
        {
            if (metadata == null || GetElement(hash, field) == null) added++;
            batch.Put(KeyCodec.SubKey(Index, hash.Version, field), value);
        }
        Commit(key, metadata, hash with { Count = hash.Count + added }, batch, "hset", KeyEventClass.Hash);
        return added;
    }

    /// <summary>HSETNX: sets the field only if it is absent; true when it wrote.</summary>
    public bool HSetNx(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, ReadOnlySpan<byte> value)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        if (metadata != null && GetElement(metadata, field) != null) return false;
        var hash = metadata ?? NewCollection(KeyType.Hash);
        var batch = new WriteBatch();
        batch.Put(KeyCodec.SubKey(Index, hash.Version, field), value);
        Commit(key, metadata, hash with { Count = hash.Count + 1 }, batch, "hset", KeyEventClass.Hash);
        return true;
    }

    public byte[]? HGet(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        return metadata == null ? null : GetElement(metadata, field);
    }

    /// <summary>HMGET: the values of the fields, null where absent.</summary>
    public byte[]?[] HMGet(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        var values = new byte[]?[fields.Count];
        if (metadata != null)
            for (int i = 0; i < fields.Count; i++) values[i] = GetElement(metadata, fields[i]);
        return values;
    }

    /// <summary>HDEL: removes the fields; returns how many existed. The key goes with its last field.</summary>
    public long HDel(ReadOnlySpan<byte> key, IReadOnlyList<byte[]> fields)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        return metadata == null ? 0 : RemoveSubKeys(key, metadata, fields, "hdel", KeyEventClass.Hash);
    }

    public long HLen(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        return GetMetadata(key, KeyType.Hash)?.Count ?? 0;
    }

    /// <summary>HSTRLEN: the length of the field's value, 0 when absent.</summary>
    public long HStrLen(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field) => HGet(key, field)?.Length ?? 0;

    public bool HExists(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field) => HGet(key, field) != null;

    /// <summary>HKEYS: the fields in byte order.</summary>
    public List<byte[]> HKeys(ReadOnlySpan<byte> key) => HGetAll(key).ConvertAll(e => e.Field);

    /// <summary>HVALS: the values, in the byte order of their fields.</summary>
    public List<byte[]> HVals(ReadOnlySpan<byte> key) => HGetAll(key).ConvertAll(e => e.Value);

    /// <summary>HGETALL: every field and value, in field byte order.</summary>
    public List<(byte[] Field, byte[] Value)> HGetAll(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        if (metadata == null) return [];
        using var it = IterateElements(metadata);
        return CollectionElements.ReadAll(it);
    }

    /// <summary>HINCRBY on a field holding a decimal 64-bit integer (absent = 0); returns the new value.</summary>
    public long HIncrBy(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, long increment)
    {
        long result = 0;
        UpdateField(key, field, old =>
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
    public byte[] HIncrByFloat(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, double increment)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(increment.ToString("R", CultureInfo.InvariantCulture));
        if (!LongDouble.TryParse(text, out var value)) throw new KvException("ERR value is not a valid float");
        return HIncrByFloat(key, field, value);
    }

    /// <summary>
    /// HINCRBYFLOAT: adds in long double, as Redis does, and stores and returns the sum in Redis's
    /// "%.17Lf" formatting, so values drift exactly as they do in Redis.
    /// </summary>
    public byte[] HIncrByFloat(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, LongDouble increment)
    {
        return UpdateField(key, field, old =>
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
    public byte[]? HRandField(ReadOnlySpan<byte> key)
    {
        var picks = HRandField(key, -1);
        return picks.Count == 0 ? null : picks[0].Field;
    }

    /// <summary>
    /// HRANDFIELD with a count: a positive count gives that many distinct fields (the whole hash when
    /// it has no more), a negative one |count| fields that may repeat. Values are null unless
    /// <paramref name="withValues"/>.
    /// </summary>
    public List<(byte[] Field, byte[]? Value)> HRandField(ReadOnlySpan<byte> key, long count, bool withValues = false)
    {
        // Redis refuses counts whose reply (two entries each with values) would overflow.
        if (count == long.MinValue || (withValues && Math.Abs(count) > long.MaxValue / 2)) throw new KvException("ERR value is out of range");
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        if (metadata == null || count == 0) return [];
        var picks = SampleSubKeys(metadata, count);
        return picks.ConvertAll(p => (p.Field, withValues ? p.Value : null));
    }

    /// <summary>HSCAN: one step of a cursor over the fields (see <see cref="ScanElements"/>); a missing key ends at once.</summary>
    public (ulong Cursor, List<(byte[] Field, byte[] Value)> Entries) HScan(ReadOnlySpan<byte> key, ulong cursor, ReadOnlySpan<byte> pattern = default, int count = 10)
    {
        using var _ = LockKey(key);
        return ScanElements(GetMetadata(key, KeyType.Hash), cursor, pattern, count);
    }

    /// <summary>Reads, transforms and writes one field atomically: the primitive under HINCRBY and HINCRBYFLOAT.</summary>
    private byte[] UpdateField(ReadOnlySpan<byte> key, ReadOnlySpan<byte> field, Func<byte[]?, byte[]> update, string changeEvent)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key, KeyType.Hash);
        var old = metadata == null ? null : GetElement(metadata, field);
        var updated = update(old);
        var hash = metadata ?? NewCollection(KeyType.Hash);
        var batch = new WriteBatch();
        batch.Put(KeyCodec.SubKey(Index, hash.Version, field), updated);
        Commit(key, metadata, hash with { Count = hash.Count + (old == null ? 1 : 0) }, batch, changeEvent, KeyEventClass.Hash);
        return updated;
    }

    /// <summary>
    /// Removes those of <paramref name="fields"/> that exist from a hash or set, deleting the key when
    /// none is left; returns how many were removed. Caller holds the key.
    /// </summary>
    private long RemoveSubKeys(ReadOnlySpan<byte> key, KeyMetadata metadata, IEnumerable<byte[]> fields, string changeEvent, KeyEventClass changeClass)
    {
        var batch = new WriteBatch();
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        long removed = 0;
        foreach (var field in fields)
        {
            if (!seen.Add(field) || GetElement(metadata, field) == null) continue;
            batch.Delete(KeyCodec.SubKey(Index, metadata.Version, field));
            removed++;
        }
        if (removed == 0) return 0;
        long left = metadata.Count - removed;
        Commit(key, metadata, left == 0 ? null : metadata with { Count = left }, batch, changeEvent, changeClass);
        return removed;
    }

    /// <summary>
    /// Random elements with Redis's count rule: positive = distinct (all when count ≥ size), negative =
    /// |count| draws that may repeat. Caller holds the key.
    /// </summary>
    private List<(byte[] Field, byte[] Value)> SampleSubKeys(KeyMetadata metadata, long count)
    {
        using var it = IterateElements(metadata);
        if (count >= metadata.Count)
        {
            var all = CollectionElements.ReadAll(it);
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
            return all;
        }
        long wanted = Math.Abs(count);
        if (wanted > Array.MaxLength) throw new KvException("ERR value is out of range");
        return CollectionElements.Sample(it, metadata.Count, (int)wanted, distinct: count > 0, Random.Shared);
    }
}
