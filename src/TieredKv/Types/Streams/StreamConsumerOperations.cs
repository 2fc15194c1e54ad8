using TieredKv.Keyspace;

namespace TieredKv;

/// <summary>XCLAIM's parsed arguments; <see cref="DeliveryTimeMs"/> is -1 without IDLE or TIME, <see cref="RetryCount"/> -1 without RETRYCOUNT.</summary>
public sealed record StreamClaimRequest(long MinIdleMs, IReadOnlyList<StreamId> Ids, long DeliveryTimeMs, long RetryCount, bool Force, bool JustId, StreamId LastId);

/// <summary>What XPENDING's summary form reports: the count, the smallest and largest pending IDs, and each consumer's count.</summary>
public sealed record StreamPendingSummary(long Count, StreamId? First, StreamId? Last, IReadOnlyList<(byte[] Consumer, long Count)> Consumers);

/// <summary>XREADGROUP, XPENDING, XCLAIM and XAUTOCLAIM: what consumers read, own and take over.</summary>
public static class StreamConsumerOperations
{
    /// <summary>
    /// XREADGROUP on one stream: new entries after the group's last delivered ID (<paramref name="after"/> null, the
    /// <c>&gt;</c> ID), or the consumer's own pending entries after <paramref name="after"/> (an entry deleted since is
    /// returned with null fields). Null when there is nothing new to serve (Redis then blocks or answers nil).
    /// </summary>
    public static List<(StreamId Id, IReadOnlyList<byte[]>? FieldsAndValues)>? XReadGroup(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, byte[] consumer,
        StreamId? after, long count, bool noAck)
    {
        using var _ = db.LockKey(key);
        var stream = db.ReadMetadata(key, KeyType.Stream);
        if (stream == null) return null;
        var edit = StreamGroupEdit.Open(db, stream, group);
        if (edit == null) return null;
        // New entries: served only when there is one after the group's last delivered ID (Redis compares its last
        // valid ID); reading them is the check.
        List<StreamEntry>? fresh = null;
        if (after == null)
        {
            if (stream.Count == 0 || StreamStorage.State(stream).LastId <= edit.Group.LastDeliveredId) return null;
            fresh = db.Range(stream, edit.Group.LastDeliveredId.Successor() ?? StreamId.Max, StreamId.Max, count, reverse: false);
            if (fresh.Count == 0) return null;
        }
        long now = db.NowMs;
        edit.LookupOrCreateConsumer(consumer, now);
        var served = new List<(StreamId, IReadOnlyList<byte[]>?)>();
        if (after is { } from)
        {
            var start = from.Successor() ?? from;
            foreach (var id in StreamGroupReader.ConsumerPendingIds(db, stream, group, consumer, start))
            {
                if (count > 0 && served.Count >= count) break;
                var entry = db.GetEntry(stream, id);
                served.Add((id, entry?.FieldsAndValues));
                if (entry != null && edit.FindPending(id) is { } pending)
                    edit.SetPending(pending with { DeliveryTimeMs = now, DeliveryCount = pending.DeliveryCount + 1 });
            }
        }
        else
        {
            var state = StreamStorage.State(stream);
            // IDs above every pending one cannot be pending (the usual case): no lookup for them.
            var lastPending = noAck || edit.Group.PendingCount == 0 ? null : StreamGroupReader.LastPendingId(db, stream, group);
            foreach (var entry in fresh!)
            {
                if (entry.Id > edit.Group.LastDeliveredId) edit.Group = StreamLag.Delivered(state, stream.Count, edit.Group, entry.Id);
                served.Add((entry.Id, entry.FieldsAndValues));
                if (!noAck) edit.SetPending(new StreamPendingEntry(entry.Id, consumer, now, 1), knownNew: lastPending == null || entry.Id > lastPending);
            }
        }
        StreamGroupOperations.WriteGroupChange(db, key, stream, edit, null);
        return served;
    }

    private static (KeyMetadata Stream, StreamGroupEdit Edit) OpenOrNoGroup(KvDatabase db, ReadOnlySpan<byte> key, byte[] group)
    {
        var stream = db.ReadMetadata(key, KeyType.Stream);
        var edit = stream == null ? null : StreamGroupEdit.Open(db, stream, group);
        if (edit == null) throw StreamGroupOperations.NoKeyOrGroup(key, group);
        return (stream!, edit);
    }

    /// <summary>XPENDING key group: the summary.</summary>
    public static StreamPendingSummary XPendingSummary(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenOrNoGroup(db, key, group);
        if (edit.Group.PendingCount == 0) return new StreamPendingSummary(0, null, null, []);
        var first = StreamGroupReader.Pending(db, stream, group, StreamId.Min).First().Id;
        var last = StreamGroupReader.LastPendingId(db, stream, group);
        var consumers = StreamGroupReader.Consumers(db, stream, group).Where(c => c.PendingCount > 0).Select(c => (c.Name, c.PendingCount)).ToList();
        return new StreamPendingSummary(edit.Group.PendingCount, first, last, consumers);
    }

    /// <summary>
    /// XPENDING's extended form: up to <paramref name="count"/> pending entries with IDs in [start, end], idle at least
    /// <paramref name="minIdleMs"/>, of one consumer (empty when it does not exist) or all; each with its idle time.
    /// </summary>
    public static List<(StreamPendingEntry Entry, long IdleMs)> XPendingRange(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group,
        StreamId start, StreamId end, long count, long minIdleMs, byte[]? consumer)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenOrNoGroup(db, key, group);
        var result = new List<(StreamPendingEntry, long)>();
        if (consumer != null && edit.FindConsumer(consumer, refresh: false, 0) == null) return result;
        long now = db.NowMs;
        IEnumerable<StreamPendingEntry> candidates = consumer == null
            ? StreamGroupReader.Pending(db, stream, group, start)
            : StreamGroupReader.ConsumerPendingIds(db, stream, group, consumer, start).Select(id => edit.FindPending(id)!);
        foreach (var entry in candidates)
        {
            if (count <= 0 || entry.Id > end) break;
            long idle = now - entry.DeliveryTimeMs;
            if (minIdleMs != 0 && idle < minIdleMs) continue;
            result.Add((entry, Math.Max(0, idle)));
            count--;
        }
        return result;
    }

    /// <summary>
    /// XCLAIM: <paramref name="parse"/> reads the arguments (given the time now) once the key and group are found, as
    /// Redis does. Returns the claimed entries (fields null with JUSTID); pending entries whose stream entry is gone are dropped.
    /// </summary>
    public static List<(StreamId Id, IReadOnlyList<byte[]>? FieldsAndValues)> XClaim(this KvDatabase db, ReadOnlySpan<byte> key, byte[] group, byte[] consumer,
        Func<long, StreamClaimRequest> parse)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenOrNoGroup(db, key, group);
        long now = db.NowMs;
        var request = parse(now);
        if (request.LastId > edit.Group.LastDeliveredId) edit.Group = edit.Group with { LastDeliveredId = request.LastId };
        long deliveryTime = request.DeliveryTimeMs;
        if (deliveryTime == -1 || deliveryTime < 0 || deliveryTime > now) deliveryTime = now;
        var claimed = new List<(StreamId, IReadOnlyList<byte[]>?)>();
        bool consumerLooked = false;
        foreach (var id in request.Ids)
        {
            var pending = edit.FindPending(id);
            var entry = db.GetEntry(stream, id);
            if (entry == null)
            {
                if (pending != null) edit.RemovePending(id);
                continue;
            }
            bool forced = false;
            if (pending == null)
            {
                if (!request.Force) continue;
                forced = true; // Redis's NACK without an owner yet: no idle check, delivery count 1 before the update
                pending = new StreamPendingEntry(id, consumer, now, 1);
            }
            if (!forced && request.MinIdleMs > 0 && now - pending.DeliveryTimeMs < request.MinIdleMs) continue;
            if (!consumerLooked)
            {
                edit.LookupOrCreateConsumer(consumer, now);
                consumerLooked = true;
            }
            long deliveries = request.RetryCount >= 0 ? request.RetryCount : request.JustId ? pending.DeliveryCount : pending.DeliveryCount + 1;
            edit.SetPending(pending with { Consumer = consumer, DeliveryTimeMs = deliveryTime, DeliveryCount = deliveries });
            claimed.Add((id, request.JustId ? null : entry.FieldsAndValues));
        }
        StreamGroupOperations.WriteGroupChange(db, key, stream, edit, null);
        return claimed;
    }

    /// <summary>
    /// XAUTOCLAIM: scans the group's pending entries from <paramref name="start"/>, claiming those idle at least
    /// <paramref name="minIdleMs"/> (at most <paramref name="count"/>, looking at no more than 10 × count) and dropping
    /// those whose entry is gone. Returns the cursor for the next call (0-0 at the end), the claimed entries (fields null
    /// with <paramref name="justId"/>) and the IDs dropped.
    /// </summary>
    public static (StreamId Next, List<(StreamId Id, IReadOnlyList<byte[]>? FieldsAndValues)> Claimed, List<StreamId> Deleted) XAutoClaim(this KvDatabase db,
        ReadOnlySpan<byte> key, byte[] group, byte[] consumer, long minIdleMs, StreamId start, long count, bool justId)
    {
        using var _ = db.LockKey(key);
        var (stream, edit) = OpenOrNoGroup(db, key, group);
        long now = db.NowMs;
        long attempts = count * 10;
        var claimed = new List<(StreamId, IReadOnlyList<byte[]>?)>();
        var deleted = new List<StreamId>();
        var next = StreamId.Min;
        bool consumerLooked = false;
        using var pendingEntries = StreamGroupReader.Pending(db, stream, group, start).GetEnumerator();
        while (attempts-- > 0 && count > 0 && pendingEntries.MoveNext())
        {
            var pending = pendingEntries.Current;
            var entry = db.GetEntry(stream, pending.Id);
            if (entry == null)
            {
                edit.RemovePending(pending.Id);
                deleted.Add(pending.Id);
                count--;
                continue;
            }
            if (minIdleMs > 0 && now - pending.DeliveryTimeMs < minIdleMs) continue;
            if (!consumerLooked)
            {
                edit.LookupOrCreateConsumer(consumer, now);
                consumerLooked = true;
            }
            edit.SetPending(pending with { Consumer = consumer, DeliveryTimeMs = now, DeliveryCount = justId ? pending.DeliveryCount : pending.DeliveryCount + 1 });
            claimed.Add((pending.Id, justId ? null : entry.FieldsAndValues));
            count--;
        }
        if (pendingEntries.MoveNext()) next = pendingEntries.Current.Id;
        StreamGroupOperations.WriteGroupChange(db, key, stream, edit, null);
        return (next, claimed, deleted);
    }
}
