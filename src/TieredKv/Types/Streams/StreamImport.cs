using System.Text;
using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// Writes one stream key whole (RESTORE, RDB loading), as <see cref="KeyImport"/> does for other types: entries go to
/// the LSM in batches under a fresh version, invisible until <see cref="Complete"/> writes the groups, metadata, live
/// marker and key count in one batch under the key lock. Entries must come in ascending ID order. Consumer groups, their
/// PELs and consumers are held in memory until completion (Redis's RDB gives a PEL's owners only after it).
/// Disposing without completing abandons everything written. Not thread-safe.
/// </summary>
public sealed class StreamImport : IDisposable
{
    private const int BatchEntries = KeyImport.BatchElements;
    private const int BatchBytes = KeyImport.BatchBytes;

    private readonly KvDatabase _db;
    private readonly long? _expireAtMs;
    private readonly bool _replace;
    private readonly KeyMetadata _stream;
    private readonly List<(StreamGroup Group, Dictionary<StreamId, (StreamPendingEntry Entry, bool Owned)> Pending, List<StreamConsumer> Consumers)> _groups = [];
    private WriteBatch _batch = new();
    private int _batchEntries;
    private StreamState _state = StreamState.Empty;
    private long _length;
    private StreamId? _lastAdded;
    private bool _wroteBatches, _protected, _finished;
    private long _flushEpoch;
    private (StreamId LastId, ulong EntriesAdded, StreamId MaxDeletedId)? _declared;

    internal StreamImport(KvDatabase db, byte[] key, long? expireAtMs, bool replace)
    {
        _db = db;
        Key = key;
        _expireAtMs = expireAtMs;
        _replace = replace;
        _stream = db.NewStream();
    }

    public byte[] Key { get; }

    /// <summary>
    /// Appends an entry; IDs must ascend. <paramref name="startsNode"/> keeps a source's node layout (true for the first
    /// entry of each listpack of a Redis RDB) so that approximate trimming goes on as it would have there; null lets
    /// the node model of XADD decide.
    /// </summary>
    public void AddEntry(StreamId id, IReadOnlyList<byte[]> fieldsAndValues, bool? startsNode = null)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (fieldsAndValues.Count == 0 || fieldsAndValues.Count % 2 != 0) throw new ArgumentException("a stream entry needs fields and values in pairs", nameof(fieldsAndValues));
        if (_lastAdded is { } last && id <= last) throw new ArgumentException($"stream entry {id} is not after {last}", nameof(id));
        _state = _db.Append(_batch, _stream, _state, _length, id, fieldsAndValues, startsNode);
        _length++;
        _lastAdded = id;
        if (++_batchEntries >= BatchEntries || _batch.ByteSize >= BatchBytes) FlushBatch();
    }

    /// <summary>The stream's own counters, as Redis saves them (they may exceed what the entries alone give: deleted and trimmed ones).</summary>
    public void SetState(StreamId lastId, ulong entriesAdded, StreamId maxDeletedId) => _declared = (lastId, entriesAdded, maxDeletedId);

    /// <summary>Adds a consumer group.</summary>
    public void AddGroup(byte[] name, StreamId lastDeliveredId, long entriesRead)
    {
        if (_groups.Any(g => g.Group.Name.AsSpan().SequenceEqual(name))) throw new ArgumentException($"duplicate consumer group '{Encoding.UTF8.GetString(name)}'", nameof(name));
        _groups.Add((new StreamGroup(name, lastDeliveredId, entriesRead, 0, 0), [], []));
    }

    /// <summary>Adds an entry of a group's PEL, its owner given later by <see cref="AddConsumer"/>.</summary>
    public void AddPending(byte[] group, StreamId id, long deliveryTimeMs, long deliveryCount)
    {
        var pending = Group(group).Pending;
        if (!pending.TryAdd(id, (new StreamPendingEntry(id, [], deliveryTimeMs, deliveryCount), false))) throw new ArgumentException($"duplicate pending entry {id}", nameof(id));
    }

    /// <summary>Adds a consumer and assigns it the pending entries it owns (each must be in the group's PEL, without an owner yet).</summary>
    public void AddConsumer(byte[] group, byte[] name, long seenTimeMs, IEnumerable<StreamId> owned)
    {
        var (_, pending, consumers) = Group(group);
        long count = 0;
        foreach (var id in owned)
        {
            if (!pending.TryGetValue(id, out var known) || known.Owned)
                throw new ArgumentException($"pending entry {id} of consumer '{Encoding.UTF8.GetString(name)}' is not in the group's PEL or has an owner", nameof(owned));
            pending[id] = (known.Entry with { Consumer = name }, true);
            count++;
        }
        consumers.Add(new StreamConsumer(name, seenTimeMs, count));
    }

    /// <summary>A group with its PEL (each entry owned once <see cref="AddConsumer"/> names it) and consumers.</summary>
    private (StreamGroup Group, Dictionary<StreamId, (StreamPendingEntry Entry, bool Owned)> Pending, List<StreamConsumer> Consumers) Group(byte[] name) =>
        _groups.FirstOrDefault(g => g.Group.Name.AsSpan().SequenceEqual(name)) is { Group: not null } found
            ? found
            : throw new ArgumentException($"no consumer group '{Encoding.UTF8.GetString(name)}'", nameof(name));

    private void FlushBatch()
    {
        if (_batchEntries == 0) return;
        if (!_protected)
        {
            _db.ProtectImport(_stream.Version);
            _protected = true;
        }
        long epoch = _db.WriteImportBatch(_batch);
        if (!_wroteBatches) _flushEpoch = epoch;
        _wroteBatches = true;
        _batch = new WriteBatch();
        _batchEntries = 0;
    }

    /// <summary>
    /// Makes the key visible, replacing an existing one when the import allows it; false when nothing was created (the
    /// expiry has passed). Throws when a pending entry has no owner, as Redis refuses such an RDB.
    /// </summary>
    public bool Complete()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        foreach (var (group, pending, _) in _groups)
            foreach (var (id, (_, owned)) in pending)
                if (!owned) throw new KvException($"ERR stream pending entry {id} of group '{Encoding.UTF8.GetString(group.Name)}' has no consumer");
        var state = _state with { GroupCount = _groups.Count };
        if (_declared is { } d) state = state with { LastId = d.LastId, EntriesAdded = d.EntriesAdded, MaxDeletedId = d.MaxDeletedId };
        var metadata = _stream.With(state, _length) with { ExpireAtMs = _expireAtMs ?? 0 };
        foreach (var (group, pending, consumers) in _groups)
        {
            _batch.Put(StreamKeys.Group(_db.Index, _stream.Version, group.Name),
                (group with { ConsumerCount = consumers.Count, PendingCount = pending.Count }).EncodeValue());
            foreach (var consumer in consumers)
                _batch.Put(StreamKeys.Consumer(_db.Index, _stream.Version, group.Name, consumer.Name), consumer.EncodeValue());
            foreach (var (entry, _) in pending.Values)
            {
                _batch.Put(StreamKeys.Pending(_db.Index, _stream.Version, group.Name, entry.Id), entry.EncodeValue());
                _batch.Put(StreamKeys.ConsumerPending(_db.Index, _stream.Version, group.Name, entry.Consumer, entry.Id), []);
            }
        }
        _finished = true;
        bool created = Commit(metadata);
        if (_protected)
        {
            if (created) _db.ImportCompleted(_stream.Version);
            else _db.ImportAbandoned(_stream.Version);
        }
        return created;
    }

    private bool Commit(KeyMetadata metadata)
    {
        using var _ = _db.LockKey(Key);
        if (_wroteBatches && _flushEpoch != _db.FlushEpoch) throw new KvException("ERR the database was flushed during the import");
        var existing = _db.GetMetadata(Key);
        if (existing != null && !_replace) throw KvDatabase.BusyKey();
        if (metadata.ExpireAtMs != 0 && metadata.ExpireAtMs <= _db.NowMs)
        {
            if (existing != null) _db.Commit(Key, existing, null, null, "del", KeyEventClass.Generic);
            return false;
        }
        _db.Commit(Key, existing, metadata, _batch);
        if (_db.Announcing)
        {
            _db.Changed(Key, "new", KeyEventClass.New);
            _db.Changed(Key, "restore", KeyEventClass.Generic);
        }
        return true;
    }

    public void Dispose()
    {
        if (_finished) return;
        _finished = true;
        if (_protected) _db.ImportAbandoned(_stream.Version);
    }
}

/// <summary>Starts a <see cref="StreamImport"/>, and writes a whole <see cref="StreamContents"/> through one.</summary>
public static class StreamImports
{
    /// <exception cref="KvException">BUSYKEY: the key exists and <paramref name="replace"/> is off.</exception>
    public static StreamImport BeginStreamImport(this KvDatabase db, ReadOnlySpan<byte> key, long? expireAtUnixMs = null, bool replace = false)
    {
        if (!replace)
        {
            using var _ = db.LockKey(key);
            if (db.GetMetadata(key) != null) throw KvDatabase.BusyKey();
        }
        return new StreamImport(db, key.ToArray(), expireAtUnixMs, replace);
    }

    /// <summary>Writes <paramref name="contents"/> as the stream at <paramref name="key"/>; false when its expiry has passed.</summary>
    public static bool ImportStream(this KvDatabase db, ReadOnlySpan<byte> key, StreamContents contents, long? expireAtUnixMs = null, bool replace = false)
    {
        using var import = db.BeginStreamImport(key, expireAtUnixMs, replace);
        foreach (var entry in contents.Entries) import.AddEntry(entry.Id, entry.FieldsAndValues);
        import.SetState(contents.LastId, contents.EntriesAdded, contents.MaxDeletedId);
        foreach (var group in contents.Groups)
        {
            import.AddGroup(group.Name, group.LastDeliveredId, group.EntriesRead);
            foreach (var pending in group.Pending) import.AddPending(group.Name, pending.Id, pending.DeliveryTimeMs, pending.DeliveryCount);
            foreach (var consumer in group.Consumers) import.AddConsumer(group.Name, consumer.Name, consumer.SeenTimeMs, consumer.Pending);
        }
        return import.Complete();
    }
}
