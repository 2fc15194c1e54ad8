using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// XTRIM and XADD's trimming, as Redis's streamTrim: walks nodes from the head (see <see cref="StreamNodeModel"/>),
/// removes whole nodes while the strategy allows, and — unless approximate — then marks single entries of the next
/// node deleted, as Redis does inside a listpack. Removed nodes (with the deleted entries they held) leave by one
/// range deletion, not a tombstone per entry.
/// </summary>
internal static class StreamTrimmer
{
    /// <summary>The outcome: entries removed, and the stream's state and length after.</summary>
    public readonly record struct Result(long Deleted, StreamState State, long Length);

    /// <param name="pending">An entry already put in <paramref name="batch"/> but not in the engine (XADD's), last in the stream.</param>
    public static Result Trim(KvDatabase db, WriteBatch batch, KeyMetadata stream, StreamState state, long length, StreamTrimOptions options, (StreamId Id, byte[] Value)? pending = null)
    {
        if (options.Strategy == StreamTrimStrategy.None) return new Result(0, state, length);
        long deleted = 0;
        byte[]? rangeStart = null, rangeEnd = null;
        var marked = new HashSet<StreamId>();
        using (var records = new Records(db, stream, pending))
        {
            while (records.HasCurrent)
            {
                if (options.Strategy == StreamTrimStrategy.MaxLen && length <= options.MaxLen) break;
                var node = records.ReadNode();
                bool isTail = !records.HasCurrent;
                long live = node.Count(r => !StreamEntry.IsDeleted(r.Value));
                if (options.Limit > 0 && deleted + live > options.Limit) break;
                // MINID looks at the node's last entry, deleted or not, as Redis reads its listpack's last ID.
                bool removeNode = options.Strategy == StreamTrimStrategy.MaxLen
                    ? length - live >= options.MaxLen
                    : node[^1].Id < options.MinId;
                if (removeNode)
                {
                    rangeStart ??= StreamKeys.Entry(db.Index, stream.Version, node[0].Id);
                    rangeEnd = ReadOptions.PrefixSuccessor(StreamKeys.Entry(db.Index, stream.Version, node[^1].Id));
                    length -= live;
                    deleted += live;
                    if (isTail) state = state with { TailNodeEntries = 0, TailNodeLive = 0, TailNodeBytes = 0 };
                    continue;
                }
                if (options.Approximate) break;
                int removed = 0;
                foreach (var (id, value) in node)
                {
                    bool stop = options.Strategy == StreamTrimStrategy.MaxLen ? length <= options.MaxLen : id >= options.MinId;
                    if (stop) break;
                    if (StreamEntry.IsDeleted(value)) continue;
                    batch.Put(StreamKeys.Entry(db.Index, stream.Version, id), StreamEntry.AsDeleted(value));
                    marked.Add(id);
                    removed++;
                    length--;
                    deleted++;
                }
                if (isTail) state = state with { TailNodeLive = state.TailNodeLive - removed };
                break;
            }
        }
        if (rangeStart != null) batch.DeleteRange(rangeStart, rangeEnd!);
        if (deleted > 0) state = state with { FirstId = length == 0 ? default : FirstLive(db, stream, pending, rangeEnd, marked) };
        return new Result(deleted, state, length);
    }

    /// <summary>The first entry left: after the removed range, neither deleted before nor marked now.</summary>
    private static StreamId FirstLive(KvDatabase db, KeyMetadata stream, (StreamId Id, byte[] Value)? pending, byte[]? after, HashSet<StreamId> marked)
    {
        using var it = db.IterateEntries(stream);
        if (after == null) it.SeekToFirst();
        else it.Seek(after);
        for (; it.Valid; it.Next())
        {
            var id = StreamKeys.IdOfEntry(it.Key);
            if (!StreamEntry.IsDeleted(it.Value) && !marked.Contains(id)) return id;
        }
        return pending is { } p && !marked.Contains(p.Id) ? p.Id : default;
    }

    /// <summary>The stream's records (deleted ones included) in order, then the pending one, read a node at a time.</summary>
    internal sealed class Records : IDisposable
    {
        private readonly Storage.Iterators.DbIterator _it;
        private (StreamId Id, byte[] Value)? _pending;

        public Records(KvDatabase db, KeyMetadata stream, (StreamId Id, byte[] Value)? pending)
        {
            _it = db.IterateEntries(stream);
            _it.SeekToFirst();
            _pending = pending;
        }

        public bool HasCurrent => _it.Valid || _pending != null;

        public (StreamId Id, byte[] Value) Current =>
            _it.Valid ? (StreamKeys.IdOfEntry(_it.Key), _it.Value.ToArray()) : _pending!.Value;

        private void Advance()
        {
            if (_it.Valid) _it.Next();
            else _pending = null;
        }

        /// <summary>The records from the current one up to the next that starts a node.</summary>
        public List<(StreamId Id, byte[] Value)> ReadNode()
        {
            var node = new List<(StreamId, byte[])> { Current };
            Advance();
            while (HasCurrent)
            {
                var next = Current;
                if (StreamEntry.IsNodeStart(next.Value)) break;
                node.Add(next);
                Advance();
            }
            return node;
        }

        public void Dispose() => _it.Dispose();
    }
}
