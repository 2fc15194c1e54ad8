using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>When EXPIRE may change a key's expiry (Redis 7's NX, XX, GT, LT).</summary>
public enum ExpireCondition
{
    Always,

    /// <summary>Only if the key has no expiry.</summary>
    Nx,

    /// <summary>Only if the key has an expiry.</summary>
    Xx,

    /// <summary>Only if the new expiry is later (no expiry counts as infinitely late).</summary>
    Gt,

    /// <summary>Only if the new expiry is earlier (no expiry counts as infinitely late).</summary>
    Lt,
}

/// <summary>One page of a SCAN: the cursor to continue from (0 = done) and the keys found.</summary>
public readonly record struct ScanPage(ulong Cursor, IReadOnlyList<byte[]> Keys);

public sealed partial class KvDatabase
{
    /// <summary>SCAN cursors of this database and of its collections' element scans.</summary>
    internal ScanCursors Cursors { get; } = new();

    /// <summary>Whether the key exists; as Redis's EXISTS, it does not count as a use of the key (OBJECT IDLETIME goes on).</summary>
    public bool Exists(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        return ReadMetadata(key, touch: false) != null;
    }

    /// <summary>How many of the keys exist (a key named twice counts twice), as EXISTS replies.</summary>
    public long Exists(IEnumerable<byte[]> keys) => keys.Count(k => Exists(k));

    /// <summary>TOUCH: as <see cref="Exists(IEnumerable{byte[]})"/>, and each existing key counts as used now.</summary>
    public long Touch(IEnumerable<byte[]> keys) => keys.Count(k =>
    {
        using var _ = LockKey(k);
        return ReadMetadata(k) != null;
    });

    /// <summary>The key's type (None when missing); not a use of the key, as Redis's TYPE.</summary>
    public KeyType Type(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        return ReadMetadata(key, touch: false)?.Type ?? KeyType.None;
    }

    /// <summary>
    /// OBJECT IDLETIME in milliseconds: since a command last used the key (reads and writes; not TYPE, EXISTS, TTL or
    /// OBJECT), or 0 for a key read from disk just now; null when missing. Idle times live in the hot tier only.
    /// </summary>
    public long? IdleMilliseconds(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        if (ReadMetadata(key, touch: false) == null) return null;
        return _store.HotKeys.IdleMilliseconds(Index, key) ?? 0;
    }

    /// <summary>Deletes the keys; returns how many existed. O(1) per key whatever its size: elements go at compaction.</summary>
    public long Delete(params byte[][] keys)
    {
        long deleted = 0;
        foreach (var key in keys)
        {
            using var _ = LockKey(key);
            var metadata = GetMetadata(key);
            if (metadata == null) continue;
            Commit(key, metadata, null, null, "del", KeyEventClass.Generic);
            deleted++;
        }
        return deleted;
    }

    public long DbSize() => _store.Counters.Count(Index);

    /// <summary>Holds the whole database against every operation on it (SWAPDB); release with <see cref="ExitExclusive"/>.</summary>
    internal void EnterExclusive() => _flushLock.EnterWriteLock();

    internal void ExitExclusive() => _flushLock.ExitWriteLock();

    /// <summary>Deletes every key of this database with range deletions: O(1) whatever its size.</summary>
    public void FlushDb()
    {
        _flushLock.EnterWriteLock();
        try
        {
            var batch = new WriteBatch();
            foreach (byte tag in KeyCodec.DatabaseTags)
                batch.DeleteRange(KeyCodec.DatabasePrefix(tag, Index), KeyCodec.DatabasePrefix(tag, Index + 1));
            Engine.Write(batch);
            _flushEpoch++;
            _store.Counters.Reset(Index);
            _store.Expiries.Reset(Index);
            _store.HotKeys.Clear(Index);
            Cursors.Clear();
        }
        finally
        {
            _flushLock.ExitWriteLock();
        }
    }

    // ------------------------------------------------------------ expiry

    /// <summary>Sets the expiry to <paramref name="expireAtMs"/> (Unix ms) if <paramref name="condition"/> allows; a time in the past deletes the key. False when the key is missing or the condition refused.</summary>
    public bool ExpireAt(ReadOnlySpan<byte> key, long expireAtMs, ExpireCondition condition = ExpireCondition.Always)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key);
        if (metadata == null) return false;
        long current = metadata.ExpireAtMs;
        bool allowed = condition switch
        {
            ExpireCondition.Nx => current == 0,
            ExpireCondition.Xx => current != 0,
            ExpireCondition.Gt => current != 0 && expireAtMs > current,
            ExpireCondition.Lt => current == 0 || expireAtMs < current,
            _ => true,
        };
        if (!allowed) return false;
        if (expireAtMs <= NowMs)
        {
            Commit(key, metadata, null, null, "del", KeyEventClass.Generic);
            return true;
        }
        Commit(key, metadata, metadata with { ExpireAtMs = expireAtMs }, null, "expire", KeyEventClass.Generic);
        return true;
    }

    /// <summary>Relative form of <see cref="ExpireAt"/>: a non-positive time deletes the key.</summary>
    public bool Expire(ReadOnlySpan<byte> key, TimeSpan ttl, ExpireCondition condition = ExpireCondition.Always) =>
        ExpireAt(key, checked(NowMs + (long)ttl.TotalMilliseconds), condition);

    /// <summary>Removes the expiry; false when the key is missing or has none.</summary>
    public bool Persist(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        var metadata = GetMetadata(key);
        if (metadata is not { ExpireAtMs: not 0 }) return false;
        Commit(key, metadata, metadata with { ExpireAtMs = 0 }, null, "persist", KeyEventClass.Generic);
        return true;
    }

    /// <summary>Milliseconds left: -2 when the key is missing, -1 when it has no expiry (PTTL).</summary>
    public long PTtl(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        var metadata = ReadMetadata(key, touch: false);
        if (metadata == null) return -2;
        if (metadata.ExpireAtMs == 0) return -1;
        return Math.Max(0, metadata.ExpireAtMs - NowMs);
    }

    /// <summary>Absolute expiry in Unix ms: -2 missing, -1 none (PEXPIRETIME).</summary>
    public long PExpireTime(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        var metadata = ReadMetadata(key, touch: false);
        return metadata == null ? -2 : metadata.ExpireAtMs == 0 ? -1 : metadata.ExpireAtMs;
    }

    // ------------------------------------------------------------ rename, copy, move

    /// <summary>Renames <paramref name="source"/>, replacing <paramref name="destination"/> (or, with <paramref name="onlyIfAbsent"/>, not). O(1): elements stay under their version. The expiry moves with the key.</summary>
    /// <returns>False only when <paramref name="onlyIfAbsent"/> and the destination exists.</returns>
    /// <exception cref="KvException">ERR no such key.</exception>
    public bool Rename(byte[] source, byte[] destination, bool onlyIfAbsent = false)
    {
        using var _ = LockKeys([source, destination]);
        var metadata = GetMetadata(source) ?? throw new KvException("ERR no such key");
        if (source.AsSpan().SequenceEqual(destination)) return !onlyIfAbsent;
        var existing = GetMetadata(destination);
        if (existing != null && onlyIfAbsent) return false;

        var batch = new WriteBatch();
        long delta = Stage(batch, source, metadata, null);
        delta += Stage(batch, destination, existing, metadata); // after the source's: re-adds the shared live marker
        Write(batch, delta);
        Publish(source, null);
        Publish(destination, metadata);
        if (Announcing)
        {
            // Redis deletes the destination and adds it anew (dbAdd: "new"), then reports the rename.
            Changed(destination, "new", KeyEventClass.New);
            Changed(source, "rename_from", KeyEventClass.Generic);
            Changed(destination, "rename_to", KeyEventClass.Generic);
        }
        return true;
    }

    /// <summary>Copies a key (into <paramref name="target"/>, this database by default). Collections are copied element by element.</summary>
    /// <returns>False when the source is missing, or the destination exists and <paramref name="replace"/> is off.</returns>
    public bool Copy(byte[] source, byte[] destination, KvDatabase? target = null, bool replace = false)
    {
        target ??= this;
        // Redis refuses a copy onto itself before looking the key up.
        if (target == this && source.AsSpan().SequenceEqual(destination)) throw new KvException("ERR source and destination objects are the same");
        using var _ = LockAcross(target, [(Index, source), (target.Index, destination)]);
        var metadata = ReadMetadata(source);
        if (metadata == null) return false;
        var existing = target.GetMetadata(destination);
        if (existing != null && !replace) return false;

        var copy = metadata;
        var batch = new WriteBatch();
        if (metadata.IsCollection)
        {
            copy = metadata with { Version = _store.Versions.Next() };
            CopyElements(batch, metadata, target.Index, copy.Version);
        }
        long delta = target.Stage(batch, destination, existing, copy);
        target.Write(batch, delta);
        target.Publish(destination, copy);
        if (Announcing)
        {
            // A replaced destination is deleted and added anew, as Redis's COPY does.
            target.Changed(destination, "new", KeyEventClass.New);
            target.Changed(destination, "copy_to", KeyEventClass.Generic);
        }
        return true;
    }

    /// <summary>Moves a key to another database; false when it is missing here or exists there.</summary>
    public bool Move(byte[] key, KvDatabase target)
    {
        if (target == this) throw new KvException("ERR source and destination objects are the same");
        using var _ = LockAcross(target, [(Index, key), (target.Index, key)]);
        var metadata = GetMetadata(key);
        if (metadata == null || target.GetMetadata(key) != null) return false;

        var batch = new WriteBatch();
        // Elements are keyed by database: copy them there under a new version, as COPY does; the old ones go at
        // compaction. Reusing the version would revive, on a later move back, elements removed meanwhile but
        // still stored under it here.
        var moved = metadata;
        if (metadata.IsCollection)
        {
            moved = metadata with { Version = _store.Versions.Next() };
            CopyElements(batch, metadata, target.Index, moved.Version);
        }
        long removed = Stage(batch, key, metadata, null);
        long added = target.Stage(batch, key, null, moved);
        ulong id = _store.Counters.AddDelta(batch, Index, removed);
        try
        {
            target.Write(batch, added);
        }
        catch
        {
            _store.Counters.Abandoned(Index, id);
            throw;
        }
        _store.Counters.Applied(Index, id, removed);
        Publish(key, null);
        target.Publish(key, moved);
        if (Announcing)
        {
            target.Changed(key, "new", KeyEventClass.New);
            Changed(key, "move_from", KeyEventClass.Generic);
            target.Changed(key, "move_to", KeyEventClass.Generic);
        }
        return true;
    }

    private void CopyElements(WriteBatch batch, KeyMetadata metadata, int targetDb, ulong targetVersion)
    {
        foreach (byte tag in KeyCodec.VersionedTags) // elements, score index and hash field expiries
        {
            var prefix = KeyCodec.SubKeyPrefix(Index, metadata.Version);
            prefix[0] = tag;
            using var it = Engine.NewIterator(ReadOptions.ForPrefix(prefix));
            for (it.SeekToFirst(); it.Valid; it.Next())
            {
                var target = it.Key.ToArray();
                target[1] = (byte)targetDb;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(target.AsSpan(2), targetVersion);
                batch.Put(target, it.Value);
            }
        }
    }

    // ------------------------------------------------------------ enumeration

    /// <summary>Every live key matching the glob <paramref name="pattern"/> (KEYS).</summary>
    public List<byte[]> Keys(ReadOnlySpan<byte> pattern)
    {
        var result = new List<byte[]>();
        ulong cursor = 0;
        do
        {
            var page = Scan(cursor, pattern, 1000);
            result.AddRange(page.Keys);
            cursor = page.Cursor;
        } while (cursor != 0);
        return result;
    }

    /// <summary>
    /// One SCAN step: looks at about <paramref name="count"/> keys after the cursor and returns those
    /// matching the pattern and type. Keys are visited in key order, so every key present for the whole
    /// scan is returned exactly once. Cursors are remembered per database (the most recent 65536).
    /// </summary>
    public ScanPage Scan(ulong cursor, ReadOnlySpan<byte> pattern = default, int count = 10, KeyType? type = null)
    {
        byte[]? after = null;
        if (cursor != 0 && !Cursors.TryGet(cursor, out after)) return new ScanPage(0, []); // unknown or forgotten cursor
        var prefix = KeyCodec.DatabasePrefix(KeyCodec.MetadataTag, Index);
        var keys = new List<byte[]>();
        long now = NowMs;
        using var it = Engine.NewIterator(ReadOptions.ForPrefix(prefix));
        if (after == null) it.SeekToFirst();
        else
        {
            it.Seek(KeyCodec.Metadata(Index, after));
            if (it.Valid && KeyCodec.UserKeyOfMetadata(it.Key).SequenceEqual(after)) it.Next();
        }
        int examined = 0;
        byte[]? last = null;
        for (; it.Valid && examined < Math.Max(1, count); it.Next(), examined++)
        {
            var key = KeyCodec.UserKeyOfMetadata(it.Key);
            last = key.ToArray();
            if (!pattern.IsEmpty && !(pattern.Length == 1 && pattern[0] == (byte)'*') && !GlobPattern.Match(pattern, key)) continue;
            KeyMetadata metadata;
            try { metadata = KeyMetadata.Decode(it.Value); }
            catch (FormatException) { continue; }
            if (metadata.IsExpiredAt(now)) continue;
            if (type is { } t && metadata.Type != t) continue;
            keys.Add(last);
        }
        if (!it.Valid || last == null) return new ScanPage(0, keys);
        return new ScanPage(Cursors.Add(last), keys);
    }

    /// <summary>A random live key, or null when the database is empty.</summary>
    public byte[]? RandomKey()
    {
        var prefix = KeyCodec.DatabasePrefix(KeyCodec.MetadataTag, Index);
        long now = NowMs;
        using var it = Engine.NewIterator(ReadOptions.ForPrefix(prefix));
        it.SeekToFirst();
        if (!it.Valid) return null;
        var first = it.Key.ToArray();
        it.SeekToLast();
        var last = it.Key.ToArray();
        for (int attempt = 0; attempt < 16; attempt++)
        {
            // Seek to a random point between the first and last key (its first byte in their range, then printable bytes).
            var probe = new byte[2 + 8];
            prefix.CopyTo(probe, 0);
            byte lo = first.Length > 2 ? first[2] : (byte)0, hi = last.Length > 2 ? last[2] : (byte)0;
            probe[2] = (byte)Random.Shared.Next(lo, hi + 1);
            for (int i = 3; i < probe.Length; i++) probe[i] = (byte)Random.Shared.Next(0x20, 0x7F);
            it.Seek(probe);
            if (!it.Valid) it.SeekToFirst();
            if (!KeyMetadata.Decode(it.Value).IsExpiredAt(now)) return KeyCodec.UserKeyOfMetadata(it.Key).ToArray();
        }
        return null;
    }
}

/// <summary>SCAN cursors of one database: a number handed to the client stands for the last key returned.</summary>
internal sealed class ScanCursors
{
    private const int Capacity = 65536;
    private readonly Dictionary<ulong, byte[]> _positions = [];
    private readonly Queue<ulong> _order = new();
    private readonly Lock _lock = new();
    private ulong _next;

    public ulong Add(byte[] lastKey)
    {
        lock (_lock)
        {
            ulong id = ++_next;
            _positions[id] = lastKey;
            _order.Enqueue(id);
            if (_order.Count > Capacity) _positions.Remove(_order.Dequeue());
            return id;
        }
    }

    public bool TryGet(ulong cursor, out byte[]? lastKey)
    {
        lock (_lock) return _positions.TryGetValue(cursor, out lastKey);
    }

    public void Clear()
    {
        lock (_lock)
        {
            _positions.Clear();
            _order.Clear();
        }
    }
}
