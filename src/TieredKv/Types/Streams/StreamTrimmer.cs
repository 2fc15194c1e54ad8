using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// XTRIM and XADD's trimming, as Redis's streamTrim: walks nodes from the head (see <see cref="StreamNodeModel"/>),
/// removes whole nodes while the strategy allows, and — unless approximate — then removes single entries of
/// the next node. Removed nodes leave by one range deletion, not a tombstone per entry.
/// </summary>
internal static class StreamTrimmer
{
    /// <summary>The outcome: entries removed, and the stream's state and length after.</summary>
    public readonly record struct Result(long Deleted, StreamState State, long Length);

    /// <param name="pending">An entry already put in <paramref name="batch"/> but not in the engine (XADD's), last in the stream.</param>
    public static Result Trim(KvDatabase db, WriteBatch batch, KeyMetadata stream, StreamState state, long length, StreamTrimOptions options, (StreamId Id, byte[] Value)? pending = null)
    {
        if (options.Strategy == StreamTrimStrategy.None) return new Result(0, state, length);
        using var entries = new Entries(db, stream, pending);
        long deleted = 0;
        byte[]? rangeStart = null, rangeEnd = null;
        StreamId? firstSurvivor = null;
        while (entries.HasCurrent)
        {
            if (options.Strategy == StreamTrimStrategy.MaxLen && length <= options.MaxLen)
            {
                firstSurvivor = entries.Current.Id;
                break;
            }
            var node = entries.ReadNode();
            bool isTail = !entries.HasCurrent;
            long count = node.Count;
            if (options.Limit > 0 && deleted + count > options.Limit)
            {
                firstSurvivor = node[0].Id;
                break;
            }
            bool removeNode = options.Strategy == StreamTrimStrategy.MaxLen
                ? length - count >= options.MaxLen
                : node[^1].Id < options.MinId;
            if (removeNode)
            {
                rangeStart ??= StreamKeys.Entry(db.Index, stream.Version, node[0].Id);
                rangeEnd = ReadOptions.PrefixSuccessor(StreamKeys.Entry(db.Index, stream.Version, node[^1].Id));
                length -= count;
                deleted += count;
                if (isTail) state = state with { TailNodeEntries = 0, TailNodeLive = 0, TailNodeBytes = 0 };
                continue;
            }
            if (options.Approximate)
            {
                firstSurvivor = node[0].Id;
                break;
            }
            int removed = 0;
            foreach (var (id, _) in node)
            {
                bool stop = options.Strategy == StreamTrimStrategy.MaxLen ? length <= options.MaxLen : id >= options.MinId;
                if (stop) break;
                batch.Delete(StreamKeys.Entry(db.Index, stream.Version, id));
                removed++;
                length--;
                deleted++;
            }
            var (survivorId, survivorValue) = node[removed];
            firstSurvivor = survivorId;
            // The node now begins at its first surviving entry, as Redis's node still holds the rest.
            if (!StreamEntry.IsNodeStart(survivorValue))
                batch.Put(StreamKeys.Entry(db.Index, stream.Version, survivorId), StreamEntry.WithNodeStart(survivorValue));
            if (isTail) state = state with { TailNodeLive = state.TailNodeLive - removed };
            break;
        }
        if (rangeStart != null) batch.DeleteRange(rangeStart, rangeEnd!);
        if (deleted > 0) state = state with { FirstId = length == 0 ? default : firstSurvivor ?? default };
        return new Result(deleted, state, length);
    }

    /// <summary>The stream's entries in order, then the pending one, read a node at a time.</summary>
    private sealed class Entries : IDisposable
    {
        private readonly Storage.Iterators.DbIterator _it;
        private (StreamId Id, byte[] Value)? _pending;

        public Entries(KvDatabase db, KeyMetadata stream, (StreamId Id, byte[] Value)? pending)
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

        /// <summary>The entries from the current one up to the next that starts a node.</summary>
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
