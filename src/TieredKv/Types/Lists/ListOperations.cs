using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// Lists (Redis's t_list.c): elements at contiguous positions <c>ListHead … ListHead+Count-1</c>, so
/// pushes and pops at either end and index access are O(1) and a range is one iterator.
/// </summary>
public static class ListOperations
{
    /// <summary>Prepends <paramref name="values"/> one by one (the last ends up first); returns the new length.</summary>
    public static long LPush(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values) => db.Push(key, values, left: true, onlyIfExists: false);

    /// <summary>Appends <paramref name="values"/>; returns the new length.</summary>
    public static long RPush(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values) => db.Push(key, values, left: false, onlyIfExists: false);

    /// <summary>LPUSH only onto an existing list; 0 when the key is missing.</summary>
    public static long LPushX(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values) => db.Push(key, values, left: true, onlyIfExists: true);

    /// <summary>RPUSH only onto an existing list; 0 when the key is missing.</summary>
    public static long RPushX(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values) => db.Push(key, values, left: false, onlyIfExists: true);

    private static long Push(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> values, bool left, bool onlyIfExists)
    {
        using var _ = db.LockKey(key);
        var before = db.GetMetadata(key, KeyType.List);
        if (before == null && onlyIfExists) return 0;
        if (values.Count == 0) return before?.Count ?? 0;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        var after = db.PushStaged(batch, before ?? db.NewCollection(KeyType.List), values, left);
        db.Commit(key, before, after, batch, left ? "lpush" : "rpush", KeyEventClass.List);
        return after.Count;
    }

    private static KeyMetadata PushStaged(this KvDatabase db, WriteBatch batch, KeyMetadata list, IReadOnlyList<byte[]> values, bool left)
    {
        ulong head = list.ListHead;
        long count = list.Count;
        foreach (var value in values)
        {
            if (left) batch.Put(KeyCodec.ListElement(db.Index, list.Version, --head), value);
            else batch.Put(KeyCodec.ListElement(db.Index, list.Version, head + (ulong)count), value);
            count++;
        }
        return list with { ListHead = head, Count = count };
    }

    /// <summary>Removes and returns the first element, or null when the key is missing.</summary>
    public static byte[]? LPop(this KvDatabase db, ReadOnlySpan<byte> key) => db.Pop(key, 1, left: true)?.FirstOrDefault();

    /// <summary>Removes and returns the last element, or null when the key is missing.</summary>
    public static byte[]? RPop(this KvDatabase db, ReadOnlySpan<byte> key) => db.Pop(key, 1, left: false)?.FirstOrDefault();

    /// <summary>LPOP with a count: up to <paramref name="count"/> elements from the head; null when the key is missing.</summary>
    public static List<byte[]>? LPop(this KvDatabase db, ReadOnlySpan<byte> key, long count) => db.Pop(key, count, left: true);

    /// <summary>RPOP with a count: up to <paramref name="count"/> elements from the tail, last first; null when the key is missing.</summary>
    public static List<byte[]>? RPop(this KvDatabase db, ReadOnlySpan<byte> key, long count) => db.Pop(key, count, left: false);

    private static List<byte[]>? Pop(this KvDatabase db, ReadOnlySpan<byte> key, long count, bool left)
    {
        if (count < 0) throw new KvException("ERR value is out of range, must be positive");
        using var _ = db.LockKey(key);
        var before = db.GetMetadata(key, KeyType.List);
        if (before == null) return null;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        var (popped, after) = db.PopStaged(batch, before, count, left);
        if (popped.Count > 0) db.Commit(key, before, after, batch, left ? "lpop" : "rpop", KeyEventClass.List);
        return popped;
    }

    /// <summary>Stages the removal of up to <paramref name="count"/> elements from one end; the new metadata is null when the list empties.</summary>
    private static (List<byte[]> Popped, KeyMetadata? After) PopStaged(this KvDatabase db, WriteBatch batch, KeyMetadata list, long count, bool left)
    {
        long n = Math.Min(count, list.Count);
        var popped = new List<byte[]>((int)Math.Min(n, 1024));
        if (n == 0) return (popped, list);
        var (first, last) = left ? (list.ListHead, list.ListHead + (ulong)n - 1) : (list.ListHead + (ulong)(list.Count - n), list.ListHead + (ulong)list.Count - 1);
        using (var it = db.Engine.NewIterator(new ReadOptions
               {
                   LowerBound = KeyCodec.ListElement(db.Index, list.Version, first),
                   UpperBound = KeyCodec.ListElement(db.Index, list.Version, last + 1),
               }))
        {
            if (left) for (it.SeekToFirst(); it.Valid; it.Next()) popped.Add(it.Value.ToArray());
            else for (it.SeekToLast(); it.Valid; it.Prev()) popped.Add(it.Value.ToArray());
        }
        for (ulong p = first; p <= last; p++) batch.Delete(KeyCodec.ListElement(db.Index, list.Version, p));
        if (n == list.Count) return (popped, null);
        return (popped, list with { ListHead = left ? list.ListHead + (ulong)n : list.ListHead, Count = list.Count - n });
    }

    /// <summary>The length of the list; 0 when the key is missing.</summary>
    public static long LLen(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadMetadata(key, KeyType.List)?.Count ?? 0;
    }

    /// <summary>The element at <paramref name="index"/> (negative counts from the tail), or null.</summary>
    public static byte[]? LIndex(this KvDatabase db, ReadOnlySpan<byte> key, long index)
    {
        using var _ = db.LockKey(key);
        var list = db.ReadMetadata(key, KeyType.List);
        if (list == null) return null;
        if (index < 0) index += list.Count;
        if (index < 0 || index >= list.Count) return null;
        return db.Engine.Get(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)index));
    }

    /// <summary>The elements from <paramref name="start"/> to <paramref name="stop"/> inclusive, with Redis's index rules (negatives from the tail, clamped).</summary>
    public static List<byte[]> LRange(this KvDatabase db, ReadOnlySpan<byte> key, long start, long stop)
    {
        using var _ = db.LockKey(key);
        var list = db.ReadMetadata(key, KeyType.List);
        if (list == null || !KvDatabase.ClampRange(list.Count, ref start, ref stop)) return [];
        return db.ReadListRange(list, start, stop);
    }

    private static List<byte[]> ReadListRange(this KvDatabase db, KeyMetadata list, long start, long stop)
    {
        var result = new List<byte[]>((int)Math.Min(stop - start + 1, 1024));
        using var it = db.Engine.NewIterator(new ReadOptions
        {
            LowerBound = KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)start),
            UpperBound = KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)stop + 1),
        });
        for (it.SeekToFirst(); it.Valid; it.Next()) result.Add(it.Value.ToArray());
        return result;
    }

    /// <summary>Replaces the element at <paramref name="index"/>.</summary>
    /// <exception cref="KvException">ERR no such key; ERR index out of range.</exception>
    public static void LSet(this KvDatabase db, ReadOnlySpan<byte> key, long index, byte[] value)
    {
        using var _ = db.LockKey(key);
        var list = db.GetMetadata(key, KeyType.List) ?? throw new KvException("ERR no such key");
        if (index < 0) index += list.Count;
        if (index < 0 || index >= list.Count) throw new KvException("ERR index out of range");
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        batch.Put(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)index), value);
        db.Commit(key, list, list, batch, "lset", KeyEventClass.List);
    }

    /// <summary>Inserts <paramref name="value"/> before or after the first <paramref name="pivot"/>; returns the new length, -1 when the pivot is missing, 0 when the key is.</summary>
    public static long LInsert(this KvDatabase db, ReadOnlySpan<byte> key, bool before, ReadOnlySpan<byte> pivot, byte[] value)
    {
        using var _ = db.LockKey(key);
        var list = db.GetMetadata(key, KeyType.List);
        if (list == null) return 0;
        var elements = db.ReadListRange(list, 0, list.Count - 1);
        int at = -1;
        for (int i = 0; i < elements.Count && at < 0; i++) if (elements[i].AsSpan().SequenceEqual(pivot)) at = i;
        if (at < 0) return -1;
        int insertAt = before ? at : at + 1;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        KeyMetadata after;
        // Shift whichever side is shorter by one position.
        if (insertAt < elements.Count - insertAt)
        {
            ulong head = list.ListHead - 1;
            for (int i = 0; i < insertAt; i++) batch.Put(KeyCodec.ListElement(db.Index, list.Version, head + (ulong)i), elements[i]);
            batch.Put(KeyCodec.ListElement(db.Index, list.Version, head + (ulong)insertAt), value);
            after = list with { ListHead = head, Count = list.Count + 1 };
        }
        else
        {
            for (int i = elements.Count - 1; i >= insertAt; i--) batch.Put(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i + 1), elements[i]);
            batch.Put(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)insertAt), value);
            after = list with { Count = list.Count + 1 };
        }
        db.Commit(key, list, after, batch, "linsert", KeyEventClass.List);
        return after.Count;
    }

    /// <summary>
    /// Removes elements equal to <paramref name="value"/>: the first <paramref name="count"/> from the head
    /// (count &gt; 0), from the tail (count &lt; 0), or all (0). Returns how many were removed.
    /// </summary>
    public static long LRem(this KvDatabase db, ReadOnlySpan<byte> key, long count, ReadOnlySpan<byte> value)
    {
        using var _ = db.LockKey(key);
        var list = db.GetMetadata(key, KeyType.List);
        if (list == null) return 0;
        var elements = db.ReadListRange(list, 0, list.Count - 1);
        var remove = new bool[elements.Count];
        // long.MinValue cannot be negated; Redis's negation leaves it negative, so it removes every match.
        long limit = count is 0 or long.MinValue ? long.MaxValue : Math.Abs(count), removed = 0;
        for (int k = 0; k < elements.Count && removed < limit; k++)
        {
            int i = count < 0 ? elements.Count - 1 - k : k;
            if (elements[i].AsSpan().SequenceEqual(value))
            {
                remove[i] = true;
                removed++;
            }
        }
        if (removed == 0) return 0;
        var kept = new List<byte[]>(elements.Count - (int)removed);
        for (int i = 0; i < elements.Count; i++) if (!remove[i]) kept.Add(elements[i]);
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        db.Commit(key, list, db.RewriteList(batch, list, elements.Count, kept, Array.IndexOf(remove, true)), batch, "lrem", KeyEventClass.List);
        return removed;
    }

    /// <summary>
    /// Stages a list holding <paramref name="kept"/> in place of its <paramref name="oldCount"/> elements, from the same
    /// head; positions before <paramref name="firstChanged"/> are unchanged. Null when empty.
    /// </summary>
    private static KeyMetadata? RewriteList(this KvDatabase db, WriteBatch batch, KeyMetadata list, int oldCount, List<byte[]> kept, int firstChanged)
    {
        for (int i = firstChanged; i < kept.Count; i++) batch.Put(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i), kept[i]);
        for (int i = kept.Count; i < oldCount; i++) batch.Delete(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i));
        return kept.Count == 0 ? null : list with { Count = kept.Count };
    }

    /// <summary>Keeps only the elements from <paramref name="start"/> to <paramref name="stop"/> (Redis index rules); an empty range deletes the key.</summary>
    public static void LTrim(this KvDatabase db, ReadOnlySpan<byte> key, long start, long stop)
    {
        using var _ = db.LockKey(key);
        var list = db.GetMetadata(key, KeyType.List);
        if (list == null) return;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        if (!KvDatabase.ClampRange(list.Count, ref start, ref stop))
        {
            for (long i = 0; i < list.Count; i++) batch.Delete(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i));
            db.Commit(key, list, null, batch, "ltrim", KeyEventClass.List);
            return;
        }
        if (start == 0 && stop == list.Count - 1)
        {
            db.Changed(key, list, list, "ltrim", KeyEventClass.List); // nothing to trim, reported all the same
            return;
        }
        for (long i = 0; i < start; i++) batch.Delete(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i));
        for (long i = stop + 1; i < list.Count; i++) batch.Delete(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i));
        db.Commit(key, list, list with { ListHead = list.ListHead + (ulong)start, Count = stop - start + 1 }, batch, "ltrim", KeyEventClass.List);
    }

    /// <summary>
    /// LPOS: indexes of elements equal to <paramref name="element"/>. Starts at the <paramref name="rank"/>-th
    /// match (negative: from the tail); returns up to <paramref name="count"/> indexes (0 = all; null = at most
    /// one, as LPOS without COUNT); compares at most <paramref name="maxLen"/> elements (0 = all).
    /// </summary>
    public static List<long> LPos(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> element, long rank = 1, long? count = null, long maxLen = 0)
    {
        if (rank == 0) throw new KvException("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
        if (rank == long.MinValue) throw new KvException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        if (count < 0) throw new KvException("ERR COUNT can't be negative");
        if (maxLen < 0) throw new KvException("ERR MAXLEN can't be negative");
        using var _ = db.LockKey(key);
        var list = db.ReadMetadata(key, KeyType.List);
        var result = new List<long>();
        if (list == null) return result;
        long wanted = count is null ? 1 : count == 0 ? long.MaxValue : count.Value;
        long skip = Math.Abs(rank) - 1;
        bool fromTail = rank < 0;
        using var it = db.Engine.NewIterator(ReadOptions.ForPrefix(KeyCodec.SubKeyPrefix(db.Index, list.Version)));
        if (fromTail) it.SeekToLast(); else it.SeekToFirst();
        for (long compared = 0; it.Valid && (maxLen == 0 || compared < maxLen); compared++)
        {
            if (it.Value.SequenceEqual(element) && skip-- <= 0)
            {
                result.Add(fromTail ? list.Count - 1 - compared : compared);
                if (result.Count >= wanted) break;
            }
            if (fromTail) it.Prev(); else it.Next();
        }
        return result;
    }

    /// <summary>
    /// LMOVE: pops from one end of <paramref name="source"/> and pushes onto one end of <paramref name="destination"/>,
    /// atomically; the same key rotates. Returns the element, or null when the source is missing.
    /// </summary>
    public static byte[]? LMove(this KvDatabase db, byte[] source, byte[] destination, bool fromLeft, bool toLeft)
    {
        using var _ = db.LockKeys([source, destination]);
        var src = db.GetMetadata(source, KeyType.List);
        if (src == null) return null;
        bool same = source.AsSpan().SequenceEqual(destination);
        var dst = same ? null : db.GetMetadata(destination, KeyType.List); // Redis checks the destination only once the source has an element
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        var (popped, srcAfter) = db.PopStaged(batch, src, 1, fromLeft);
        var element = popped[0];
        if (same)
        {
            // Rotation: the popped position is re-used or a fresh one at the other end; staged puts follow the delete.
            var after = db.PushStaged(batch, srcAfter ?? src with { Count = 0, ListHead = fromLeft ? src.ListHead + 1 : src.ListHead }, [element], toLeft);
            db.Commit(source, src, after, batch);
            if (db.Announcing)
            {
                db.Changed(source, toLeft ? "lpush" : "rpush", KeyEventClass.List);
                db.Changed(source, fromLeft ? "lpop" : "rpop", KeyEventClass.List);
            }
            return element;
        }
        var dstAfter = db.PushStaged(batch, dst ?? db.NewCollection(KeyType.List), [element], toLeft);
        long delta = db.Stage(batch, source, src, srcAfter);
        delta += db.Stage(batch, destination, dst, dstAfter);
        db.Write(batch, delta);
        db.Publish(source, srcAfter);
        db.Publish(destination, dstAfter);
        // As Redis's LMOVE: the push into the destination first, then the pop from the source.
        db.Changed(destination, dst, dstAfter, toLeft ? "lpush" : "rpush", KeyEventClass.List);
        db.Changed(source, src, srcAfter, fromLeft ? "lpop" : "rpop", KeyEventClass.List);
        return element;
    }
}
