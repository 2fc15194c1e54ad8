using Microsoft.Extensions.Logging;
using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>Export and import of single keys: the primitives under DUMP/RESTORE and RDB files.</summary>
public sealed partial class KvDatabase
{
    /// <summary>Where a new list's first element goes: the middle of the position space, so it can grow both ways.</summary>
    internal const ulong NewListHead = 1UL << 63;

    // How many times FLUSHDB ran: an import whose early batches a flush deleted must not complete.
    private long _flushEpoch;

    /// <summary>
    /// One live key with its whole value, read consistently under its lock (DUMP): the elements are
    /// read into memory, as DUMP's payload is. Null when the key is absent or expired. To stream a
    /// large collection, read it from a <see cref="KeyspaceSnapshot"/> instead.
    /// </summary>
    public SnapshotKey? ReadKey(ReadOnlySpan<byte> key)
    {
        using var _ = LockKey(key);
        var metadata = ReadMetadata(key);
        if (metadata is { Type: KeyType.Hash, MinFieldExpireAtMs: not 0 } && metadata.MinFieldExpireAtMs <= NowMs)
            metadata = this.ExpireDueFields(key, metadata, int.MaxValue, out int _);
        if (metadata == null) return null;
        if (HashFieldExpiry.HasFieldExpiries(Engine, Index, metadata, null))
            _store.Logger.LogWarning("DUMP of hash '{Key}' (db {Db}) leaves out its field expiries: the payload format has none", System.Text.Encoding.UTF8.GetString(key), Index);
        return new SnapshotKey(key.ToArray(), metadata, new LoadedElements(metadata.Type, new ElementReader(Engine, Index, metadata, null)));
    }

    /// <summary>
    /// Starts writing <paramref name="key"/> as a new value of <paramref name="type"/> from a stream
    /// of elements (see <see cref="KeyImport"/>); the key changes only when the import completes.
    /// </summary>
    /// <exception cref="KvException">BUSYKEY: the key exists and <paramref name="replace"/> is off.</exception>
    public KeyImport BeginImport(ReadOnlySpan<byte> key, KeyType type, long? expireAtUnixMs = null, bool replace = false)
    {
        if (type is not (KeyType.String or KeyType.Hash or KeyType.List or KeyType.Set or KeyType.SortedSet))
            throw new ArgumentOutOfRangeException(nameof(type), type, "not a key type");
        if (!replace)
        {
            using var _ = LockKey(key);
            if (GetMetadata(key) != null) throw BusyKey();
        }
        ulong version = type == KeyType.String ? 0 : _store.Versions.Next();
        return new KeyImport(this, key.ToArray(), type, expireAtUnixMs, replace, version);
    }

    internal static KvException BusyKey() => new("BUSYKEY Target key name already exists.");

    /// <summary>How many times FLUSHDB ran on this database: an import checks it did not change under its batches.</summary>
    internal long FlushEpoch => Interlocked.Read(ref _flushEpoch);

    /// <summary>Writes a batch of an import's elements (invisible until it completes); returns the FLUSHDB count it was written under.</summary>
    internal long WriteImportBatch(WriteBatch batch)
    {
        _flushLock.EnterReadLock();
        try
        {
            Engine.Write(batch, _store.Options.DeferDurability);
            return _flushEpoch;
        }
        finally
        {
            _flushLock.ExitReadLock();
        }
    }

    /// <summary>Makes an import's key visible: its last elements, metadata, marker, expiry entry and count in one batch. False when nothing was created.</summary>
    internal bool CompleteImport(KeyImport import)
    {
        using var _ = LockKey(import.Key);
        var (wroteBatches, epoch) = import.Written;
        if (wroteBatches && epoch != _flushEpoch) throw new KvException("ERR the database was flushed during the import");
        var existing = GetMetadata(import.Key);
        if (existing != null && !import.ReplaceExisting) throw BusyKey();
        if (import.IsEmpty) return false;
        if (import.ExpireAtMs is { } expireAt && expireAt <= NowMs)
        {
            // RESTORE of an expired value deletes what it replaces
            if (existing != null) Commit(import.Key, existing, null, null, "del", KeyEventClass.Generic);
            return false;
        }
        var batch = new WriteBatch();
        import.StagePending(batch);
        Commit(import.Key, existing, import.Metadata(), batch);
        if (Announcing)
        {
            // As Redis's RESTORE: a replaced key is deleted and added anew.
            Changed(import.Key, "new", KeyEventClass.New);
            Changed(import.Key, "restore", KeyEventClass.Generic);
        }
        return true;
    }

    internal void ProtectImport(ulong version) => _store.CompactionFilter.ProtectImport(Index, version);

    /// <summary>The import's marker is written: the last sequence now covers it.</summary>
    internal void ImportCompleted(ulong version) => _store.CompactionFilter.ImportCompleted(Index, version, Engine.LastSequence);

    internal void ImportAbandoned(ulong version) => _store.CompactionFilter.ImportAbandoned(Index, version);
}
