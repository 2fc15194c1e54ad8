using System.Text;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// One operation's view of one consumer group: reads its records on demand, keeps what the operation
/// changed (the group, its consumers, its pending entries, with their counts kept in step), and writes
/// all of it into one batch at the end. Reads see the operation's own changes. The caller holds the key.
/// </summary>
internal sealed class StreamGroupEdit
{
    private readonly KvDatabase _db;
    private readonly KeyMetadata _stream;
    private readonly Dictionary<string, (StreamConsumer? Original, StreamConsumer? Current)> _consumers = [];
    private readonly Dictionary<StreamId, (StreamPendingEntry? Original, StreamPendingEntry? Current)> _pending = [];
    private readonly StreamGroup _original;

    private StreamGroupEdit(KvDatabase db, KeyMetadata stream, StreamGroup group)
    {
        _db = db;
        _stream = stream;
        _original = group;
        Group = group;
    }

    public StreamGroup Group { get; set; }

    public byte[] Name => Group.Name;

    /// <summary>Consumers this operation created, in order (each reported as xgroup-createconsumer).</summary>
    public List<byte[]> CreatedConsumers { get; } = [];

    public bool Changed => Group != _original || _consumers.Values.Any(c => c.Current != c.Original) || _pending.Values.Any(p => p.Current != p.Original);

    /// <summary>The group, or null when the stream has none of that name.</summary>
    public static StreamGroupEdit? Open(KvDatabase db, KeyMetadata stream, ReadOnlySpan<byte> group)
    {
        var found = StreamGroupReader.GetGroup(db, stream, group);
        return found == null ? null : new StreamGroupEdit(db, stream, found);
    }

    private static string KeyOf(ReadOnlySpan<byte> name) => Encoding.Latin1.GetString(name);

    /// <summary>The consumer, or null; with <paramref name="refresh"/> its seen time becomes <paramref name="nowMs"/> (Redis's lookup without SLC_NO_REFRESH).</summary>
    public StreamConsumer? FindConsumer(byte[] name, bool refresh, long nowMs)
    {
        string key = KeyOf(name);
        if (!_consumers.TryGetValue(key, out var known))
        {
            var stored = StreamGroupReader.GetConsumer(_db, _stream, Group.Name, name);
            known = (stored, stored);
            _consumers[key] = known;
        }
        if (known.Current == null || !refresh) return known.Current;
        var seen = known.Current with { SeenTimeMs = nowMs };
        _consumers[key] = (known.Original, seen);
        return seen;
    }

    /// <summary>Creates the consumer; null when it exists.</summary>
    public StreamConsumer? CreateConsumer(byte[] name, long nowMs)
    {
        if (FindConsumer(name, refresh: false, nowMs) != null) return null;
        var created = new StreamConsumer(name, nowMs, 0);
        string key = KeyOf(name);
        _consumers[key] = (_consumers[key].Original, created);
        Group = Group with { ConsumerCount = Group.ConsumerCount + 1 };
        CreatedConsumers.Add(name);
        return created;
    }

    /// <summary>The consumer, created when missing; its seen time refreshed either way.</summary>
    public StreamConsumer LookupOrCreateConsumer(byte[] name, long nowMs) =>
        FindConsumer(name, refresh: true, nowMs) ?? CreateConsumer(name, nowMs)!;

    /// <summary>Removes the consumer and its pending entries; returns how many it had.</summary>
    public long DeleteConsumer(byte[] name)
    {
        var consumer = FindConsumer(name, refresh: false, 0);
        if (consumer == null) return 0;
        foreach (var id in StreamGroupReader.ConsumerPendingIds(_db, _stream, Group.Name, name, StreamId.Min).ToList())
            RemovePending(id);
        foreach (var (id, change) in _pending.ToList())
            if (change.Current != null && change.Current.Consumer.AsSpan().SequenceEqual(name)) RemovePending(id);
        string key = KeyOf(name);
        _consumers[key] = (_consumers[key].Original, null);
        Group = Group with { ConsumerCount = Group.ConsumerCount - 1 };
        return consumer.PendingCount;
    }

    public StreamPendingEntry? FindPending(StreamId id)
    {
        if (_pending.TryGetValue(id, out var known)) return known.Current;
        var stored = StreamGroupReader.GetPending(_db, _stream, Group.Name, id);
        _pending[id] = (stored, stored);
        return stored;
    }

    /// <summary>
    /// Sets (adds, reassigns or updates) a pending entry, keeping the counts of the group and consumers. With
    /// <paramref name="knownNew"/> the caller knows the group has no entry of that ID, and it is not looked up.
    /// </summary>
    public void SetPending(StreamPendingEntry entry, bool knownNew = false)
    {
        if (knownNew) _pending.TryAdd(entry.Id, (null, null));
        var before = FindPending(entry.Id);
        if (before == null) Group = Group with { PendingCount = Group.PendingCount + 1 };
        if (before == null || !before.Consumer.AsSpan().SequenceEqual(entry.Consumer))
        {
            if (before != null) AdjustConsumer(before.Consumer, -1);
            AdjustConsumer(entry.Consumer, +1);
        }
        _pending[entry.Id] = (_pending[entry.Id].Original, entry);
    }

    /// <summary>Removes a pending entry; false when there is none.</summary>
    public bool RemovePending(StreamId id)
    {
        var before = FindPending(id);
        if (before == null) return false;
        Group = Group with { PendingCount = Group.PendingCount - 1 };
        AdjustConsumer(before.Consumer, -1);
        _pending[id] = (_pending[id].Original, null);
        return true;
    }

    private void AdjustConsumer(byte[] name, int delta)
    {
        var consumer = FindConsumer(name, refresh: false, 0);
        if (consumer == null) return; // the owner was deleted in this operation
        _consumers[KeyOf(name)] = (_consumers[KeyOf(name)].Original, consumer with { PendingCount = consumer.PendingCount + delta });
    }

    /// <summary>Writes every change into <paramref name="batch"/>.</summary>
    public void WriteTo(WriteBatch batch)
    {
        int db = _db.Index;
        ulong version = _stream.Version;
        foreach (var (_, (original, current)) in _pending)
        {
            if (original == current) continue;
            if (original != null && (current == null || !original.Consumer.AsSpan().SequenceEqual(current.Consumer)))
                batch.Delete(StreamKeys.ConsumerPending(db, version, Group.Name, original.Consumer, original.Id));
            if (current == null)
            {
                batch.Delete(StreamKeys.Pending(db, version, Group.Name, original!.Id));
                continue;
            }
            batch.Put(StreamKeys.Pending(db, version, Group.Name, current.Id), current.EncodeValue());
            if (original == null || !original.Consumer.AsSpan().SequenceEqual(current.Consumer))
                batch.Put(StreamKeys.ConsumerPending(db, version, Group.Name, current.Consumer, current.Id), []);
        }
        foreach (var (_, (original, current)) in _consumers)
        {
            if (original == current) continue;
            var name = (current ?? original)!.Name;
            if (current == null)
            {
                batch.Delete(StreamKeys.Consumer(db, version, Group.Name, name));
                batch.DeleteRange(StreamKeys.ConsumerPendingPrefix(db, version, Group.Name, name),
                    ReadOptions.PrefixSuccessor(StreamKeys.ConsumerPendingPrefix(db, version, Group.Name, name))!);
            }
            else batch.Put(StreamKeys.Consumer(db, version, Group.Name, name), current.EncodeValue());
        }
        if (Group != _original) batch.Put(StreamKeys.Group(db, version, Group.Name), Group.EncodeValue());
    }
}
