using System.Text;
using TieredKv.Changes;
using TieredKv.Keyspace;

namespace TieredKv;

/// <summary>XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER) and XACK, with Redis's checks in Redis's order.</summary>
public static class StreamGroupOperations
{
    internal static KvException KeyRequired() => new(
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.");

    internal static KvException NoGroupForKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> group) =>
        new($"NOGROUP No such consumer group '{Encoding.UTF8.GetString(group)}' for key name '{Encoding.UTF8.GetString(key)}'");

    internal static KvException NoKeyOrGroup(ReadOnlySpan<byte> key, ReadOnlySpan<byte> group) =>
        new($"NOGROUP No such key '{Encoding.UTF8.GetString(key)}' or consumer group '{Encoding.UTF8.GetString(group)}'");

    /// <summary>
    /// XGROUP CREATE: <paramref name="resolveId"/> turns the ID argument into an ID given the stream's last ID
    /// (0-0 for a missing stream), after the key is checked, as Redis parses it. Throws BUSYGROUP when it exists.
    /// </summary>
    public static void XGroupCreate(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, Func<StreamId, StreamId> resolveId, bool mkStream, long entriesRead)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Stream);
        if (metadata == null && !mkStream) throw KeyRequired();
        var stream = metadata ?? db.NewStream();
        var state = StreamStorage.State(stream);
        var id = resolveId(state.LastId);
        if (metadata != null && StreamGroupReader.GetGroup(db, stream, group) != null) throw new KvException("BUSYGROUP Consumer Group name already exists");
        using var lease = db.RentBatch();
        lease.Batch.Put(StreamKeys.Group(db.Index, stream.Version, group), new StreamGroup(group, id, entriesRead, 0, 0).EncodeValue());
        var after = stream.With(state with { GroupCount = state.GroupCount + 1 }, stream.Count);
        db.Commit(key, metadata, after, lease.Batch);
        if (metadata == null) db.Changed(key, "new", KeyEventClass.New);
        db.Changed(key, "xgroup-create", KeyEventClass.Stream);
    }

    /// <summary>XGROUP SETID: <paramref name="resolveId"/> as for <see cref="XGroupCreate"/>, called once the key and group are found.</summary>
    public static void XGroupSetId(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, Func<StreamId, StreamId> resolveId, long entriesRead)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenGroup(db, key, group);
        var id = resolveId(StreamStorage.State(stream).LastId);
        edit.Group = edit.Group with { LastDeliveredId = id, EntriesRead = entriesRead };
        WriteGroupChange(db, key, stream, edit, "xgroup-setid");
    }

    /// <summary>XGROUP DESTROY: removes the group with its consumers and pending entries; false when there is no such group.</summary>
    public static bool XGroupDestroy(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group)
    {
        using var _ = db.LockKey(key);
        var stream = db.GetMetadata(key, KeyType.Stream) ?? throw KeyRequired();
        if (StreamGroupReader.GetGroup(db, stream, group) == null) return false;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        batch.Delete(StreamKeys.Group(db.Index, stream.Version, group));
        foreach (byte kind in new[] { StreamKeys.ConsumerKind, StreamKeys.PendingKind, StreamKeys.ConsumerPendingKind })
        {
            var prefix = StreamKeys.GroupScoped(db.Index, stream.Version, kind, group);
            batch.DeleteRange(prefix, Storage.ReadOptions.PrefixSuccessor(prefix)!);
        }
        var state = StreamStorage.State(stream);
        db.Commit(key, stream, stream.With(state with { GroupCount = state.GroupCount - 1 }, stream.Count), batch, "xgroup-destroy", KeyEventClass.Stream);
        return true;
    }

    /// <summary>XGROUP CREATECONSUMER: true when the consumer was created, false when it existed.</summary>
    public static bool XGroupCreateConsumer(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, byte[] consumer)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenGroup(db, key, group);
        if (edit.CreateConsumer(consumer, db.NowMs) == null) return false;
        WriteGroupChange(db, key, stream, edit, null);
        return true;
    }

    /// <summary>XGROUP DELCONSUMER: removes the consumer and its pending entries; returns how many it had (0 when missing).</summary>
    public static long XGroupDelConsumer(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, byte[] consumer)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenGroup(db, key, group);
        if (edit.FindConsumer(consumer, refresh: false, 0) == null) return 0;
        long pending = edit.DeleteConsumer(consumer);
        WriteGroupChange(db, key, stream, edit, "xgroup-delconsumer");
        return pending;
    }

    /// <summary>
    /// XACK: removes the IDs from the group's pending entries; returns how many were pending. 0 when the key or
    /// group is missing; <paramref name="parseIds"/> runs only when both exist, as Redis parses them after.
    /// </summary>
    public static long XAck(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, Func<IReadOnlyList<StreamId>> parseIds)
    {
        using var _ = db.LockKey(key);
        var stream = db.ReadMetadata(key, KeyType.Stream);
        if (stream == null) return 0;
        var edit = StreamGroupEdit.Open(db, stream, group);
        if (edit == null) return 0;
        long acknowledged = 0;
        foreach (var id in parseIds())
            if (edit.RemovePending(id)) acknowledged++;
        if (acknowledged > 0) WriteGroupChange(db, key, stream, edit, null);
        return acknowledged;
    }

    /// <summary>
    /// XGROUP's checks before a subcommand runs, for a form that then fails its own arity: the key must exist (unless
    /// CREATE with MKSTREAM), and the group too for SETID, CREATECONSUMER and DELCONSUMER.
    /// </summary>
    public static void XGroupCheck(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, bool requireGroup, bool mkStream)
    {
        using var _ = db.LockKey(key);
        var stream = db.GetMetadata(key, KeyType.Stream);
        if (mkStream) return;
        if (stream == null) throw KeyRequired();
        if (requireGroup && StreamGroupReader.GetGroup(db, stream, group) == null) throw NoGroupForKey(key, group);
    }

    /// <summary>Whether the key holds a stream with that group (XREADGROUP's check); WRONGTYPE for another type.</summary>
    public static bool XGroupExists(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> group)
    {
        using var _ = db.LockKey(key);
        var stream = db.ReadMetadata(key, KeyType.Stream);
        return stream != null && StreamGroupReader.GetGroup(db, stream, group) != null;
    }

    /// <summary>The stream and its group for an XGROUP subcommand that needs both (Redis's errors otherwise). Caller holds the key.</summary>
    private static (KeyMetadata Stream, StreamGroupEdit Edit) OpenGroup(KvDatabase db, ReadOnlySpan<byte> key, byte[] group)
    {
        var stream = db.GetMetadata(key, KeyType.Stream) ?? throw KeyRequired();
        var edit = StreamGroupEdit.Open(db, stream, group) ?? throw NoGroupForKey(key, group);
        return (stream, edit);
    }

    /// <summary>Writes a group's changes (the stream's metadata unchanged) and reports created consumers, then <paramref name="eventName"/> (even when nothing changed, as Redis's XGROUP SETID does).</summary>
    internal static void WriteGroupChange(KvDatabase db, ReadOnlySpan<byte> key, KeyMetadata stream, StreamGroupEdit edit, string? eventName)
    {
        if (edit.Changed)
        {
            using var lease = db.RentBatch();
            edit.WriteTo(lease.Batch);
            db.Write(lease.Batch, 0);
        }
        foreach (var _ in edit.CreatedConsumers) db.Changed(key, "xgroup-createconsumer", KeyEventClass.Stream);
        if (eventName != null) db.Changed(key, eventName, KeyEventClass.Stream);
    }
}
