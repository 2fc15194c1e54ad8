using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Storage;

namespace TieredKv;

/// <summary>
/// Every database of a store as of one moment, for export (RDB files, replication-style copies):
/// one LSM snapshot, never the hot tier, so it needs no locks and sees no write made after it was
/// opened. Keys come in key order; collections' elements stream through iterators, so memory stays
/// bounded whatever their size. Keys whose expiry had passed when it was opened are left out.
/// Dispose it: compaction keeps everything it can see while it is open.
/// </summary>
public sealed class KeyspaceSnapshot : IDisposable
{
    private readonly TieredKvStore _store;
    private readonly Snapshot _snapshot;
    private readonly int[] _slots; // database number → storage slot when the snapshot was opened
    private bool _disposed;

    internal KeyspaceSnapshot(TieredKvStore store, Snapshot snapshot, long nowMs, int[] slots)
    {
        _store = store;
        _snapshot = snapshot;
        _slots = slots;
        NowUnixMs = nowMs;
    }

    /// <summary>The time (Unix ms) against which expiry is judged: when the snapshot was opened.</summary>
    public long NowUnixMs { get; }

    public int DatabaseCount => _store.DatabaseCount;

    /// <summary>How many keys database <paramref name="number"/> holds in the snapshot, expired ones excluded. Costs a read of its key-count records and of its overdue expiry entries, not a scan of the keys.</summary>
    public long KeyCount(int number)
    {
        int db = Slot(number);
        long count = KeyCounters.CountAt(_store.Engine, db, _snapshot);
        // Keys expired but not yet deleted are still counted: the expiry index lists them, oldest first.
        using var it = _store.Engine.NewIterator(new ReadOptions
        {
            Snapshot = _snapshot,
            FillCache = false,
            LowerBound = KeyCodec.Expiry(db, 0, []),
            UpperBound = KeyCodec.Expiry(db, NowUnixMs + 1, []),
        });
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var (expireAt, key) = KeyCodec.DecodeExpiry(it.Key);
            var metadata = ReadMetadata(db, key);
            if (metadata != null && metadata.ExpireAtMs == expireAt) count--; // else an entry left by an older expiry
        }
        return count;
    }

    /// <summary>The live keys of database <paramref name="number"/>, in key byte order.</summary>
    public IEnumerable<SnapshotKey> Keys(int number)
    {
        return Enumerate(Slot(number));
    }

    /// <summary>One key of database <paramref name="number"/> as the snapshot sees it, or null when it is absent or expired.</summary>
    public SnapshotKey? ReadKey(int number, ReadOnlySpan<byte> key)
    {
        int db = Slot(number);
        var metadata = ReadMetadata(db, key);
        return metadata == null || metadata.IsExpiredAt(NowUnixMs) ? null : NewKey(db, key.ToArray(), metadata);
    }

    private IEnumerable<SnapshotKey> Enumerate(int db)
    {
        var prefix = KeyCodec.DatabasePrefix(KeyCodec.MetadataTag, db);
        using var it = _store.Engine.NewIterator(new ReadOptions
        {
            Snapshot = _snapshot, FillCache = false, LowerBound = prefix, UpperBound = ReadOptions.PrefixSuccessor(prefix),
        });
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var key = KeyCodec.UserKeyOfMetadata(it.Key).ToArray();
            var metadata = Decode(key, it.Value);
            if (metadata.IsExpiredAt(NowUnixMs)) continue;
            if (NewKey(db, key, metadata) is { } live) yield return live;
        }
    }

    /// <summary>
    /// The key as exported: a hash's fields already expired are left out (null when none is left), and
    /// field expiries are not exported (RDB version 10 has no place for them): logged, once per snapshot.
    /// </summary>
    private SnapshotKey? NewKey(int db, byte[] key, KeyMetadata metadata)
    {
        var due = HashFieldExpiry.DueFields(_store.Engine, db, metadata, NowUnixMs, _snapshot);
        if (due != null)
        {
            metadata = metadata with { Count = metadata.Count - due.Count };
            if (metadata.Count <= 0) return null;
        }
        if (!_warnedFieldExpiry && HashFieldExpiry.HasFieldExpiries(_store.Engine, db, metadata, _snapshot))
        {
            _warnedFieldExpiry = true;
            _store.Logger.LogWarning("exporting hash '{Key}' (db {Db}) without its field expiries: the export format has none (further hashes not logged)",
                System.Text.Encoding.UTF8.GetString(key), db);
        }
        return new(key, metadata, new ElementReader(_store.Engine, db, metadata, _snapshot, due));
    }

    private bool _warnedFieldExpiry;

    private KeyMetadata? ReadMetadata(int db, ReadOnlySpan<byte> key)
    {
        var raw = _store.Engine.Get(KeyCodec.Metadata(db, key), new ReadOptions { Snapshot = _snapshot, FillCache = false });
        return raw == null ? null : Decode(key, raw);
    }

    private static KeyMetadata Decode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> raw)
    {
        try
        {
            return KeyMetadata.Decode(raw);
        }
        catch (FormatException e)
        {
            // An export must not drop a key silently.
            throw new KvException($"ERR corrupt metadata for key '{System.Text.Encoding.UTF8.GetString(key)}': {e.Message}");
        }
    }

    /// <summary>The storage slot of database <paramref name="number"/>; refuses a closed snapshot or a number out of range.</summary>
    private int Slot(int number)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _store.GetDatabase(number); // refuses an index out of range
        return _slots[number];
    }

    public void Dispose()
    {
        _disposed = true;
        _snapshot.Dispose();
    }
}
