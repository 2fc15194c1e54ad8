using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.Iterators;

namespace TieredKv;

/// <summary>
/// XDEL as Redis's streamDeleteItem: an entry is marked deleted where it is (its node keeps its place, its size and its
/// count towards stream-node-max-entries), and a node left with no live entry is removed whole, as Redis frees it: the
/// tail node by its live count in the state, another by reading its records (at most a node's worth).
/// Also rebuilds the tail-node model from storage when the tail node was freed (see <see cref="RecomputeTail"/>).
/// </summary>
internal static class StreamDeleter
{
    /// <summary>The outcome: entries deleted, and the stream's state and length after.</summary>
    public readonly record struct Result(long Deleted, StreamState State, long Length);

    public static Result Delete(KvDatabase db, WriteBatch batch, KeyMetadata stream, StreamState state, long length, IReadOnlyList<StreamId> ids)
    {
        // This operation's changes, read before the engine: a deleted value, or null for a record removed with its node.
        var overlay = new Dictionary<StreamId, byte[]?>();
        long deleted = 0;
        bool firstDeleted = false;
        StreamId? tailFreedFrom = null; // the tail node went whole: every record from its start is gone
        using var it = db.IterateEntries(stream);
        foreach (var id in ids)
        {
            if (id >= tailFreedFrom) continue;
            var value = overlay.TryGetValue(id, out var changed) ? changed : db.Engine.Get(StreamKeys.Entry(db.Index, stream.Version, id));
            if (value == null || StreamEntry.IsDeleted(value)) continue;
            overlay[id] = StreamEntry.AsDeleted(value);
            deleted++;
            length--;
            if (id == state.FirstId) firstDeleted = true;
            if (id > state.MaxDeletedId) state = state with { MaxDeletedId = id };
            if (state.TailNodeEntries > 0 && id >= state.TailNodeStart)
            {
                // The tail node's live count is kept: no scan. Freed when it reaches 0; Redis then appends to the node
                // before it, which RecomputeTail finds at the next XADD.
                state = state with { TailNodeLive = state.TailNodeLive - 1 };
                if (state.TailNodeLive > 0) continue;
                batch.DeleteRange(StreamKeys.Entry(db.Index, stream.Version, state.TailNodeStart),
                    ReadOptions.PrefixSuccessor(KeyCodec.SubKeyPrefix(db.Index, stream.Version))!);
                tailFreedFrom = state.TailNodeStart;
                state = state with { TailNodeEntries = 0, TailNodeLive = 0, TailNodeBytes = 0 };
                continue;
            }
            var node = NodeOf(db, it, stream, id, overlay);
            if (node.Exists(r => !StreamEntry.IsDeleted(r.Value))) continue;
            batch.DeleteRange(StreamKeys.Entry(db.Index, stream.Version, node[0].Id),
                ReadOptions.PrefixSuccessor(StreamKeys.Entry(db.Index, stream.Version, node[^1].Id))!);
            foreach (var (member, _) in node) overlay[member] = null;
        }
        foreach (var (id, value) in overlay)
            if (value != null && !(id >= tailFreedFrom)) batch.Put(StreamKeys.Entry(db.Index, stream.Version, id), value);
        if (deleted > 0 && (length == 0 || firstDeleted)) state = state with { FirstId = length == 0 ? default : FirstLive(it, overlay, tailFreedFrom) };
        return new Result(deleted, state, length);
    }

    /// <summary>The records of the node holding <paramref name="id"/> (deleted ones too), with this operation's changes applied.</summary>
    private static List<(StreamId Id, byte[] Value)> NodeOf(KvDatabase db, DbIterator it, KeyMetadata stream, StreamId id, Dictionary<StreamId, byte[]?> overlay)
    {
        byte[] ValueAt() => overlay.TryGetValue(StreamKeys.IdOfEntry(it.Key), out var v) && v != null ? v : it.Value.ToArray();
        for (it.SeekForPrev(StreamKeys.Entry(db.Index, stream.Version, id)); it.Valid && !StreamEntry.IsNodeStart(ValueAt()); it.Prev())
        {
        }
        if (!it.Valid) it.SeekToFirst(); // no flag before it: the stream's first node
        var node = new List<(StreamId, byte[])>();
        for (; it.Valid; it.Next())
        {
            var value = ValueAt();
            if (node.Count > 0 && StreamEntry.IsNodeStart(value)) break;
            node.Add((StreamKeys.IdOfEntry(it.Key), value));
        }
        return node;
    }

    private static StreamId FirstLive(DbIterator it, Dictionary<StreamId, byte[]?> overlay, StreamId? goneFrom)
    {
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var id = StreamKeys.IdOfEntry(it.Key);
            if (id >= goneFrom) break;
            var value = overlay.TryGetValue(id, out var v) ? v : it.Value.ToArray();
            if (value != null && !StreamEntry.IsDeleted(value)) return id;
        }
        return default;
    }

    /// <summary>
    /// The tail-node model when it was reset (the tail node freed by XDEL) while the stream still has nodes: Redis then
    /// appends to its last remaining node, so the model is rebuilt from that node's records, deleted ones included.
    /// </summary>
    public static StreamState RecomputeTail(KvDatabase db, KeyMetadata stream, StreamState state)
    {
        if (state.TailNodeEntries > 0) return state;
        using var it = db.IterateEntries(stream);
        for (it.SeekToLast(); it.Valid && !StreamEntry.IsNodeStart(it.Value); it.Prev())
        {
        }
        if (!it.Valid)
        {
            it.SeekToFirst();
            if (!it.Valid) return state; // empty: the next entry starts a node
        }
        var rebuilt = state;
        int live = 0;
        for (bool first = true; it.Valid; it.Next(), first = false)
        {
            var value = it.Value;
            var fields = StreamEntry.DecodeValue(value);
            rebuilt = StreamNodeModel.Append(rebuilt, StreamKeys.IdOfEntry(it.Key), fields, nodeStart: first);
            if (!StreamEntry.IsDeleted(value)) live++;
        }
        return rebuilt with { TailNodeLive = live };
    }
}
