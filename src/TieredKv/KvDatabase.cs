using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// One numbered database of a <see cref="TieredKvStore"/>: typed operations with Redis semantics.
/// Each operation is atomic and durable (one write batch) and linearizable per key. The type
/// groups live in their own files, as Redis's t_*.c do.
/// </summary>
public sealed partial class KvDatabase
{
    private readonly TieredKvStore _store;
    private readonly SharedExclusiveLock _flushLock = new();

    internal KvDatabase(TieredKvStore store, int slot, int number)
    {
        _store = store;
        Index = slot;
        _number = number;
    }

    /// <summary>
    /// The storage slot: the database byte of this database's engine keys. It equals <see cref="Number"/> until
    /// SWAPDB exchanges two databases, which swaps their numbers and leaves their records where they are.
    /// </summary>
    public int Index { get; }

    private volatile int _number;

    /// <summary>The number clients select this database by (SELECT, keyspace notifications).</summary>
    public int Number
    {
        get => _number;
        internal set => _number = value;
    }

    /// <summary>Redis's largest string (proto-max-bulk-len's default), for every operation that grows one.</summary>
    internal const long MaxStringLength = 512L << 20;

    internal Db Engine => _store.Engine;
    internal long NowMs => _store.NowMs;

    // ------------------------------------------------------------ locking

    /// <summary>Holds the database against FLUSHDB and one key against other operations on it.</summary>
    internal Scope LockKey(ReadOnlySpan<byte> key)
    {
        _flushLock.EnterReadLock();
        return new Scope(_flushLock, null, _store.Locks.Lock(Index, key));
    }

    /// <summary>As <see cref="LockKey"/> for several keys of this database.</summary>
    internal Scope LockKeys(IEnumerable<byte[]> keys)
    {
        _flushLock.EnterReadLock();
        return new Scope(_flushLock, null, _store.Locks.LockMany(keys.Select(k => (Index, k))));
    }

    /// <summary>Keys in two databases (MOVE, COPY): both databases held, in index order.</summary>
    internal Scope LockAcross(KvDatabase other, IEnumerable<(int Db, byte[] Key)> keys)
    {
        if (other == this) return LockKeys(keys.Select(k => k.Key));
        var (first, second) = Index < other.Index ? (this, other) : (other, this);
        first._flushLock.EnterReadLock();
        second._flushLock.EnterReadLock();
        return new Scope(first._flushLock, second._flushLock, _store.Locks.LockMany(keys));
    }

    internal readonly struct Scope(SharedExclusiveLock first, SharedExclusiveLock? second, KeyLocks.Releaser keys) : IDisposable
    {
        public void Dispose()
        {
            keys.Dispose();
            second?.ExitReadLock();
            first.ExitReadLock();
        }
    }

    // ------------------------------------------------------------ metadata

    /// <summary>The live metadata of <paramref name="key"/>, or null. Deletes it first if it has expired. Caller holds the key.</summary>
    internal KeyMetadata? GetMetadata(ReadOnlySpan<byte> key) => GetMetadata(key, touch: true);

    /// <summary>As <see cref="GetMetadata(ReadOnlySpan{byte})"/>; without <paramref name="touch"/> the key's idle time goes on (Redis's LOOKUP_NOTOUCH).</summary>
    internal KeyMetadata? GetMetadata(ReadOnlySpan<byte> key, bool touch)
    {
        bool promote = false;
        if (!_store.HotKeys.TryGet(Index, key, out var metadata, touch))
        {
            var raw = Engine.Get(KeyCodec.Metadata(Index, key));
            if (raw == null) return null;
            metadata = Decode(key, raw);
            promote = true;
        }
        if (metadata!.IsExpiredAt(NowMs))
        {
            DeleteExpired(key, metadata);
            return null;
        }
        if (promote) _store.HotKeys.Set(Index, key, metadata, promoted: true);
        return metadata;
    }

    /// <summary>As <see cref="GetMetadata(ReadOnlySpan{byte})"/>, refusing a key of another type.</summary>
    internal KeyMetadata? GetMetadata(ReadOnlySpan<byte> key, KeyType type)
    {
        var metadata = GetMetadata(key);
        if (metadata != null && metadata.Type != type) throw new WrongTypeException();
        return metadata;
    }

    /// <summary>
    /// As <see cref="GetMetadata(ReadOnlySpan{byte})"/> for a read command's lookup (Redis's lookupKeyRead): counted
    /// as a keyspace hit or miss (INFO keyspace_hits, keyspace_misses). Write commands look keys up uncounted.
    /// </summary>
    internal KeyMetadata? ReadMetadata(ReadOnlySpan<byte> key, bool touch = true)
    {
        var metadata = GetMetadata(key, touch);
        _store.Lookups.Count(metadata != null);
        return metadata;
    }

    /// <summary>Counts a read command's lookup made another way (a keyspace hit when <paramref name="found"/>, else a miss).</summary>
    internal void CountReadLookup(bool found) => _store.Lookups.Count(found);

    /// <summary>As <see cref="ReadMetadata(ReadOnlySpan{byte}, bool)"/>, refusing a key of another type (counted as a hit, as Redis counts it).</summary>
    internal KeyMetadata? ReadMetadata(ReadOnlySpan<byte> key, KeyType type)
    {
        var metadata = ReadMetadata(key);
        if (metadata != null && metadata.Type != type) throw new WrongTypeException();
        return metadata;
    }

    private static KeyMetadata Decode(ReadOnlySpan<byte> key, byte[] raw)
    {
        try
        {
            return KeyMetadata.Decode(raw);
        }
        catch (FormatException e)
        {
            throw new KvException($"ERR corrupt metadata for key '{System.Text.Encoding.UTF8.GetString(key)}': {e.Message}");
        }
    }

    /// <summary>Removes an expired key (lazy expiry or the active cycle). Caller holds the key.</summary>
    internal void DeleteExpired(ReadOnlySpan<byte> key, KeyMetadata metadata)
    {
        Commit(key, metadata, null);
        Changed(key, "expired", KeyEventClass.Expired);
        _store.OnKeyExpired(Number, key);
    }

    /// <summary>
    /// For the active expiry cycle: removes <paramref name="key"/> if it is due under the expiry-index
    /// entry <paramref name="expireAtMs"/>; an entry left behind by an older expiry is dropped. True when the key was removed.
    /// </summary>
    internal bool ExpireIfDue(byte[] key, long expireAtMs)
    {
        using var _ = LockKey(key);
        if (!_store.HotKeys.TryGet(Index, key, out var metadata))
        {
            // Read without promoting: a key about to expire is not hot.
            var raw = Engine.Get(KeyCodec.Metadata(Index, key));
            metadata = raw == null ? null : Decode(key, raw);
        }
        if (metadata != null && metadata.ExpireAtMs == expireAtMs && metadata.IsExpiredAt(NowMs))
        {
            DeleteExpired(key, metadata);
            return true;
        }
        if (metadata?.ExpireAtMs != expireAtMs)
        {
            var batch = new WriteBatch();
            batch.Delete(KeyCodec.Expiry(Index, expireAtMs, key));
            Engine.Write(batch);
        }
        return false;
    }

    /// <summary>A fresh collection of <paramref name="type"/> with a new version.</summary>
    internal KeyMetadata NewCollection(KeyType type) => new()
    {
        Type = type,
        Version = _store.Versions.Next(),
        ListHead = type == KeyType.List ? NewListHead : 0,
    };

    // ------------------------------------------------------------ writing

    /// <summary>A pooled batch for one command's writes; dispose the lease after <see cref="Commit(ReadOnlySpan{byte}, KeyMetadata?, KeyMetadata?, WriteBatch?)"/>.</summary>
    internal WriteBatchLease RentBatch() => new(_store.Batches);

    /// <summary>Writes one key's change from <paramref name="before"/> to <paramref name="after"/> (null = absent), plus whatever else is in <paramref name="batch"/>.</summary>
    internal void Commit(ReadOnlySpan<byte> key, KeyMetadata? before, KeyMetadata? after, WriteBatch? batch = null)
    {
        if (batch == null)
        {
            using var lease = RentBatch();
            Commit(key, before, after, lease.Batch);
            return;
        }
        Write(batch, Stage(batch, key, before, after));
        Publish(key, after);
    }

    /// <summary>As <see cref="Commit(ReadOnlySpan{byte}, KeyMetadata?, KeyMetadata?, WriteBatch?)"/>, then reports the change (see <see cref="Changed(ReadOnlySpan{byte}, KeyMetadata?, KeyMetadata?, string, KeyEventClass)"/>).</summary>
    internal void Commit(ReadOnlySpan<byte> key, KeyMetadata? before, KeyMetadata? after, WriteBatch? batch, string eventName, KeyEventClass eventClass)
    {
        Commit(key, before, after, batch);
        Changed(key, before, after, eventName, eventClass);
    }

    /// <summary>
    /// Adds to <paramref name="batch"/> the records that take a key from <paramref name="before"/> to
    /// <paramref name="after"/>: its metadata, its live-version marker and its expiry index entry.
    /// Returns the change in the key count.
    /// </summary>
    internal long Stage(WriteBatch batch, ReadOnlySpan<byte> key, KeyMetadata? before, KeyMetadata? after)
    {
        int metadataKeyLength = KeyCodec.MetadataLength(key);
        var metadataKey = KeyCodec.Metadata(metadataKeyLength <= 256 ? stackalloc byte[metadataKeyLength] : new byte[metadataKeyLength], Index, key);
        if (before is { ExpireAtMs: not 0 } && before.ExpireAtMs != after?.ExpireAtMs)
            batch.Delete(KeyCodec.Expiry(Index, before.ExpireAtMs, key));
        if (before is { MinFieldExpireAtMs: not 0 } && before.MinFieldExpireAtMs != after?.MinFieldExpireAtMs)
            batch.Delete(KeyCodec.HashExpiry(Index, before.MinFieldExpireAtMs, key));
        // INFO keyspace's expires and avg_ttl: counted as the change is staged, the write following at once.
        _store.Expiries.Change(Index, before?.ExpireAtMs ?? 0, after?.ExpireAtMs ?? 0);
        if (before is { IsCollection: true } && before.Version != after?.Version)
            batch.Delete(KeyCodec.LiveVersion(Index, before.Version)); // its elements go at compaction
        if (after == null)
        {
            batch.Delete(metadataKey);
            return before == null ? 0 : -1;
        }
        after.EncodeTo(batch.PutInPlace(metadataKey, after.EncodedSize));
        if (after.IsCollection && before?.Version != after.Version)
            batch.Put(KeyCodec.LiveVersion(Index, after.Version), []);
        if (after.ExpireAtMs != 0 && before?.ExpireAtMs != after.ExpireAtMs)
            batch.Put(KeyCodec.Expiry(Index, after.ExpireAtMs, key), []);
        if (after.MinFieldExpireAtMs != 0 && before?.MinFieldExpireAtMs != after.MinFieldExpireAtMs)
            batch.Put(KeyCodec.HashExpiry(Index, after.MinFieldExpireAtMs, key), []);
        return before == null ? 1 : 0;
    }

    /// <summary>Writes a staged batch with its key-count delta.</summary>
    internal void Write(WriteBatch batch, long countDelta)
    {
        ulong id = _store.Counters.AddDelta(batch, Index, countDelta);
        try
        {
            Engine.Write(batch, _store.Options.DeferDurability);
        }
        catch
        {
            _store.Counters.Abandoned(Index, id);
            throw;
        }
        _store.Counters.Applied(Index, id, countDelta);
    }

    /// <summary>How many keys of this database have a TTL (INFO keyspace's expires): O(1), maintained by every write.</summary>
    public long ExpiresCount() => _store.Expiries.Count(Index);

    /// <summary>The mean milliseconds left of this database's keys with a TTL (INFO keyspace's avg_ttl), 0 without any: O(1).</summary>
    public long AverageTtl() => _store.Expiries.AverageTtl(Index, NowMs);

    /// <summary>Makes the hot tier reflect a committed change.</summary>
    internal void Publish(ReadOnlySpan<byte> key, KeyMetadata? after)
    {
        if (after == null) _store.HotKeys.Remove(Index, key);
        else _store.HotKeys.Set(Index, key, after, promoted: false);
    }

    // ------------------------------------------------------------ change feed

    /// <summary>Whether changes need reporting: false when nobody subscribes to the feed.</summary>
    internal bool Announcing => _store.Changes.Active;

    /// <summary>Reports one change of a key of this database. Call after the commit, holding the key.</summary>
    internal void Changed(ReadOnlySpan<byte> key, string eventName, KeyEventClass eventClass) =>
        _store.Changes.Raise(Number, key, eventName, eventClass);

    /// <summary>
    /// Reports a committed change from <paramref name="before"/> to <paramref name="after"/> (null = absent)
    /// as Redis does: "new" first when it created the key (Redis's dbAdd), then the operation's event, then
    /// "del" when it removed the key (a collection emptied) under an event of its own.
    /// </summary>
    internal void Changed(ReadOnlySpan<byte> key, KeyMetadata? before, KeyMetadata? after, string eventName, KeyEventClass eventClass)
    {
        if (!Announcing) return;
        if (before == null && after != null) Changed(key, "new", KeyEventClass.New);
        Changed(key, eventName, eventClass);
        if (before != null && after == null && eventName != "del") Changed(key, "del", KeyEventClass.Generic);
    }

    /// <summary>The value of one element of a collection, or null.</summary>
    internal byte[]? GetElement(KeyMetadata metadata, ReadOnlySpan<byte> field) =>
        Engine.Get(KeyCodec.SubKey(Index, metadata.Version, field));

    /// <summary>An iterator over the elements of a collection (keys are full sub-keys: strip <see cref="ElementPrefixLength"/>).</summary>
    internal Storage.Iterators.DbIterator IterateElements(KeyMetadata metadata, Snapshot? snapshot = null) =>
        Engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.SubKeyPrefix(Index, metadata.Version), snapshot));

    internal const int ElementPrefixLength = KeyCodec.SubKeyPrefixLength;
}
