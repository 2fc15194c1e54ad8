using System.Buffers.Binary;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// One command's changes to the fields of one hash, field expiries included, staged in one batch.
/// Keeps what it has already changed in memory, so a field named twice in a command sees the
/// first change (the batch is not readable). Every field with an expiry has exactly two records,
/// <c>T | db | version | field</c> (its expiry) and <c>X | db | version | expireAt | field</c> (the
/// hash's time-ordered index); this class keeps them together with the field. The caller holds the key.
/// </summary>
internal sealed class HashFieldEditor
{
    private readonly KvDatabase _db;
    private readonly KeyMetadata _hash;
    private readonly bool _exists;
    private readonly Dictionary<byte[], FieldState> _changed = new(ByteArrayComparer.Instance);
    private long _minExpireAt;

    /// <summary>A field as the command sees it: its value (null = absent) and expiry (0 = none).</summary>
    public readonly record struct FieldState(byte[]? Value, long ExpireAtMs)
    {
        public bool Exists => Value != null;
    }

    /// <param name="metadata">The live hash, or null to create one.</param>
    public HashFieldEditor(KvDatabase db, KeyMetadata? metadata, WriteBatch batch)
    {
        _db = db;
        _exists = metadata != null;
        _hash = metadata ?? db.NewCollection(KeyType.Hash);
        _minExpireAt = _hash.MinFieldExpireAtMs;
        Batch = batch;
    }

    public WriteBatch Batch { get; }

    public long Added { get; private set; }
    public long Removed { get; private set; }

    /// <summary>Fields whose expiry was set or removed.</summary>
    public long TtlsChanged { get; private set; }

    public FieldState Read(byte[] field)
    {
        if (_changed.TryGetValue(field, out var state)) return state;
        if (!_exists) return default;
        var value = _db.GetElement(_hash, field);
        // Only a hash with a field expiry floor can have field expiry records.
        long expireAt = value != null && _hash.MinFieldExpireAtMs != 0 ? ReadExpiry(_db, _hash, field) : 0;
        return new FieldState(value, expireAt);
    }

    /// <summary>Sets a field's value; its expiry is removed unless <paramref name="keepTtl"/> (HSET discards it, HINCRBY keeps it).</summary>
    public void Put(byte[] field, byte[] value, bool keepTtl = false)
    {
        var state = Read(field);
        Batch.Put(KeyCodec.SubKey(_db.Index, _hash.Version, field), value);
        if (!state.Exists) Added++;
        long expireAt = state.ExpireAtMs;
        if (expireAt != 0 && !keepTtl)
        {
            DeleteExpiryRecords(field, expireAt);
            expireAt = 0;
        }
        _changed[field] = new FieldState(value, expireAt);
    }

    /// <summary>Gives an existing field the expiry <paramref name="expireAtMs"/>.</summary>
    public void SetExpiry(byte[] field, long expireAtMs)
    {
        var state = Read(field);
        if (!state.Exists) throw new InvalidOperationException("no such field");
        TtlsChanged++; // counted even when unchanged: Redis reports the field as set
        if (state.ExpireAtMs == expireAtMs) return;
        if (state.ExpireAtMs != 0) Batch.Delete(KeyCodec.FieldExpiry(_db.Index, _hash.Version, state.ExpireAtMs, field));
        var ttl = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(ttl, expireAtMs);
        Batch.Put(KeyCodec.FieldTtl(_db.Index, _hash.Version, field), ttl);
        Batch.Put(KeyCodec.FieldExpiry(_db.Index, _hash.Version, expireAtMs, field), []);
        if (_minExpireAt == 0 || expireAtMs < _minExpireAt) _minExpireAt = expireAtMs;
        _changed[field] = state with { ExpireAtMs = expireAtMs };
    }

    /// <summary>Removes a field's expiry; false when it had none.</summary>
    public bool ClearExpiry(byte[] field)
    {
        var state = Read(field);
        if (state.ExpireAtMs == 0) return false;
        DeleteExpiryRecords(field, state.ExpireAtMs);
        _changed[field] = state with { ExpireAtMs = 0 };
        TtlsChanged++;
        return true;
    }

    /// <summary>Removes a field with its expiry; false when it was absent.</summary>
    public bool Delete(byte[] field)
    {
        var state = Read(field);
        if (!state.Exists) return false;
        Batch.Delete(KeyCodec.SubKey(_db.Index, _hash.Version, field));
        if (state.ExpireAtMs != 0) DeleteExpiryRecords(field, state.ExpireAtMs);
        _changed[field] = default;
        Removed++;
        return true;
    }

    /// <summary>The hash after the changes: null when it has no field left (or was never created).</summary>
    public KeyMetadata? After
    {
        get
        {
            long count = _hash.Count + Added - Removed;
            return count <= 0 ? null : _hash with { Count = count, MinFieldExpireAtMs = _minExpireAt };
        }
    }

    public KeyMetadata? Before => _exists ? _hash : null;

    private void DeleteExpiryRecords(byte[] field, long expireAtMs)
    {
        Batch.Delete(KeyCodec.FieldTtl(_db.Index, _hash.Version, field));
        Batch.Delete(KeyCodec.FieldExpiry(_db.Index, _hash.Version, expireAtMs, field));
    }

    /// <summary>A field's expiry record: Unix ms, or 0 for none.</summary>
    internal static long ReadExpiry(KvDatabase db, KeyMetadata hash, ReadOnlySpan<byte> field)
    {
        var raw = db.Engine.Get(KeyCodec.FieldTtl(db.Index, hash.Version, field));
        return raw is { Length: 8 } ? BinaryPrimitives.ReadInt64LittleEndian(raw) : 0;
    }
}
