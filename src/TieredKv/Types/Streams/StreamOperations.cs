using TieredKv.Changes;
using TieredKv.Keyspace;

namespace TieredKv;

/// <summary>The stream commands on entries (Redis's t_stream.c): XADD, XRANGE, XLEN, XDEL, XTRIM, XSETID and XREAD's reads.</summary>
public static class StreamOperations
{
    /// <summary>
    /// XADD: appends an entry and trims. <paramref name="id"/> null generates one from the clock (<c>*</c>);
    /// with <paramref name="seqGiven"/> false only its milliseconds are given (<c>ms-*</c>). Returns the new
    /// entry's ID, or null when the key is missing and <paramref name="noMkStream"/> is set.
    /// </summary>
    public static StreamId? XAdd(this KvDatabase db, ReadOnlySpan<byte> key, StreamId? id, bool seqGiven, IReadOnlyList<byte[]> fieldsAndValues,
        bool noMkStream = false, StreamTrimOptions? trim = null)
    {
        if (fieldsAndValues.Count == 0 || fieldsAndValues.Count % 2 != 0) throw new KvException("ERR wrong number of arguments for 'xadd' command");
        if (id is { Ms: 0, Seq: 0 } && seqGiven) throw new KvException("ERR The ID specified in XADD must be greater than 0-0");
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Stream);
        if (metadata == null && noMkStream) return null;
        var stream = metadata ?? db.NewStream();
        var state = StreamStorage.State(stream);
        if (state.LastId == StreamId.Max) throw new KvException("ERR The stream has exhausted the last possible ID, unable to add more items");
        var newId = NextId(state.LastId, id, seqGiven, db.NowMs)
            ?? throw new KvException("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        long total = 0;
        foreach (var item in fieldsAndValues) total += item.Length;
        if (total > 1L << 30) throw new KvException("ERR Elements are too large to be stored");

        using var lease = db.RentBatch();
        var batch = lease.Batch;
        if (metadata != null) state = StreamDeleter.RecomputeTail(db, stream, state);
        state = db.Append(batch, stream, state, stream.Count, newId, fieldsAndValues);
        long length = stream.Count + 1;
        long trimmed = 0;
        if (trim is { Strategy: not StreamTrimStrategy.None })
        {
            var value = StreamEntry.EncodeValue(fieldsAndValues, state.TailNodeEntries == 1);
            var result = StreamTrimmer.Trim(db, batch, stream, state, length, trim, (newId, value));
            (trimmed, state, length) = (result.Deleted, result.State, result.Length);
        }
        var after = stream.With(state, length);
        db.Commit(key, metadata, after, batch, "xadd", KeyEventClass.Stream);
        if (trimmed > 0) db.Changed(key, "xtrim", KeyEventClass.Stream);
        return newId;
    }

    /// <summary>Redis's streamAppendItem ID rule: null when the ID would not be above <paramref name="last"/>.</summary>
    private static StreamId? NextId(StreamId last, StreamId? given, bool seqGiven, long nowMs)
    {
        StreamId id;
        if (given is { } g)
        {
            if (seqGiven) id = g;
            else if (last.Ms == g.Ms)
            {
                if (last.Seq == ulong.MaxValue) return null;
                id = new StreamId(last.Ms, last.Seq + 1);
            }
            else id = new StreamId(g.Ms, 0);
        }
        else
        {
            ulong ms = (ulong)nowMs;
            // streamNextID: the clock when it is ahead, else the last ID's successor (the "exhausted" case is refused earlier).
            id = ms > last.Ms ? new StreamId(ms, 0) : last.Successor() ?? last;
        }
        return id > last ? id : null;
    }

    /// <summary>XLEN: the number of entries; 0 when the key is missing.</summary>
    public static long XLen(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadMetadata(key, KeyType.Stream)?.Count ?? 0;
    }

    /// <summary>
    /// XRANGE (or XREVRANGE with <paramref name="reverse"/>): entries with IDs in [start, end], at most
    /// <paramref name="count"/> (0 = all); null when the key is missing.
    /// </summary>
    public static List<StreamEntry>? XRange(this KvDatabase db, ReadOnlySpan<byte> key, StreamId start, StreamId end, long count = 0, bool reverse = false)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Stream);
        return metadata == null ? null : db.Range(metadata, start, end, count, reverse);
    }

    /// <summary>XDEL: removes the entries with these IDs; returns how many existed. The stream stays, even empty.</summary>
    public static long XDel(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<StreamId> ids)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Stream);
        if (metadata == null) return 0;
        using var lease = db.RentBatch();
        var result = StreamDeleter.Delete(db, lease.Batch, metadata, StreamStorage.State(metadata), metadata.Count, ids);
        if (result.Deleted == 0) return 0;
        db.Commit(key, metadata, metadata.With(result.State, result.Length), lease.Batch, "xdel", KeyEventClass.Stream);
        return result.Deleted;
    }

    /// <summary>XTRIM: trims as <paramref name="options"/> say; returns how many entries went (0 when the key is missing).</summary>
    public static long XTrim(this KvDatabase db, ReadOnlySpan<byte> key, StreamTrimOptions options)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Stream);
        if (metadata == null) return 0;
        using var lease = db.RentBatch();
        var result = StreamTrimmer.Trim(db, lease.Batch, metadata, StreamStorage.State(metadata), metadata.Count, options);
        if (result.Deleted == 0) return 0;
        db.Commit(key, metadata, metadata.With(result.State, result.Length), lease.Batch, "xtrim", KeyEventClass.Stream);
        return result.Deleted;
    }

    /// <summary>XSETID: sets the last ID and, when given, the entries-added counter and the largest deleted ID.</summary>
    public static void XSetId(this KvDatabase db, ReadOnlySpan<byte> key, StreamId lastId, long entriesAdded = -1, StreamId maxDeletedId = default)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Stream) ?? throw new KvException("ERR no such key");
        if (metadata.Count > 0)
        {
            var top = db.EdgeId(metadata, last: true) ?? default;
            if (lastId < top) throw new KvException("ERR The ID specified in XSETID is smaller than the target stream top item");
            if (entriesAdded != -1 && metadata.Count > entriesAdded)
                throw new KvException("ERR The entries_added specified in XSETID is smaller than the target stream length");
        }
        var state = StreamStorage.State(metadata) with { LastId = lastId };
        if (entriesAdded != -1) state = state with { EntriesAdded = (ulong)entriesAdded };
        if (maxDeletedId != default) state = state with { MaxDeletedId = maxDeletedId };
        db.Commit(key, metadata, metadata.With(state, metadata.Count), null, "xsetid", KeyEventClass.Stream);
    }

    /// <summary>The stream's last generated ID (XREAD's <c>$</c>); 0-0 when the key is missing.</summary>
    public static StreamId XLastId(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Stream);
        return metadata == null ? default : StreamStorage.State(metadata).LastId;
    }

    /// <summary>XREAD on one stream: up to <paramref name="count"/> entries (0 = all) after <paramref name="after"/>; empty when the key is missing.</summary>
    public static List<StreamEntry> XReadAfter(this KvDatabase db, ReadOnlySpan<byte> key, StreamId after, long count)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Stream);
        if (metadata == null || after.Successor() is not { } start) return [];
        return db.Range(metadata, start, StreamId.Max, count, reverse: false);
    }
}
