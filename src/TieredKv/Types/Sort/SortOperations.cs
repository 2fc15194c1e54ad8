using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Numbers;

namespace TieredKv;

/// <summary>SORT and SORT_RO (Redis's sort.c) over lists, sets and sorted sets, with BY and GET lookups in the keyspace.</summary>
public static class SortOperations
{
    /// <summary>
    /// The sorted elements of <paramref name="key"/> (a missing key sorts as an empty list), or with GET patterns the
    /// looked-up values, one per pattern per element (null where a lookup found nothing).
    /// </summary>
    /// <exception cref="WrongTypeException">The key is not a list, set or sorted set.</exception>
    /// <exception cref="KvException">A score is not a double (numeric sorting).</exception>
    public static List<byte[]?> Sort(this KvDatabase db, ReadOnlySpan<byte> key, SortSpec spec) => db.Sort(key, spec, storing: false);

    /// <summary>
    /// SORT … STORE: stores what <see cref="Sort(KvDatabase, ReadOnlySpan{byte}, SortSpec)"/> returns as a list at
    /// <paramref name="destination"/> (a failed lookup stores an empty string), replacing it and its expiry; an empty
    /// result deletes the destination. Returns the stored length.
    /// </summary>
    public static long SortStore(this KvDatabase db, ReadOnlySpan<byte> key, SortSpec spec, byte[] destination)
    {
        var result = db.Sort(key, spec, storing: true);
        var items = result.ConvertAll(v => v ?? []);
        db.ReplaceWithList(destination, items, "sortstore");
        return items.Count;
    }

    private static List<byte[]?> Sort(this KvDatabase db, ReadOnlySpan<byte> key, SortSpec spec, bool storing)
    {
        var (type, elements) = ReadElements(db, key);
        bool noSort = spec.NoSort, alpha = spec.Alpha;
        byte[]? by = spec.By;
        // A set has no order of its own: stored without sorting it would differ between replicas, so Redis sorts it alphabetically.
        if (noSort && type == KeyType.Set && storing)
        {
            noSort = false;
            alpha = true;
            by = null;
        }

        int length = elements.Count;
        long start = Math.Max(spec.Offset, 0);
        long end = spec.Count < 0 ? length - 1 : start + spec.Count - 1;
        if (start >= length)
        {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) end = length - 1;

        if (noSort)
        {
            // Lists and sorted sets keep their own order, reversed by DESC; a set its storage order.
            if (spec.Descending && type is KeyType.List or KeyType.SortedSet) elements.Reverse();
        }
        else
        {
            elements = Ordered(db, elements, by, alpha, spec.Descending);
        }

        var result = new List<byte[]?>();
        for (long i = start; i <= end; i++)
        {
            var element = elements[(int)i];
            if (spec.Get.Count == 0) result.Add(element);
            foreach (var pattern in spec.Get) result.Add(Lookup(db, pattern, element));
        }
        return result;
    }

    /// <summary>The key's type and elements in its own order (a missing key is an empty list).</summary>
    private static (KeyType Type, List<byte[]> Elements) ReadElements(KvDatabase db, ReadOnlySpan<byte> key)
    {
        while (true)
        {
            var type = db.Type(key);
            try
            {
                return type switch
                {
                    KeyType.None => (type, []),
                    KeyType.List => (type, db.LRange(key, 0, -1)),
                    KeyType.Set => (type, db.SMembers(key)),
                    KeyType.SortedSet => (type, db.ZRangeByRank(key, 0, -1).ConvertAll(e => e.Member)),
                    _ => throw new WrongTypeException(),
                };
            }
            catch (WrongTypeException) when (db.Type(key) != type)
            {
                // Another client replaced the key between the two reads: read it again as what it is now.
            }
        }
    }

    /// <summary>The elements sorted as Redis's sortCompare does; ties in numeric order fall back to the elements' bytes.</summary>
    private static List<byte[]> Ordered(KvDatabase db, List<byte[]> elements, byte[]? by, bool alpha, bool descending)
    {
        var keys = new SortKey[elements.Count];
        bool unconvertible = false;
        for (int i = 0; i < elements.Count; i++)
        {
            var element = elements[i];
            var value = by == null ? element : Lookup(db, by, element);
            if (alpha)
            {
                keys[i] = new SortKey(element, 0, by == null ? element : value);
                continue;
            }
            double score = 0;
            if (value != null && !TryParseScore(value, out score)) unconvertible = true;
            keys[i] = new SortKey(element, score, null);
        }
        if (unconvertible) throw new KvException("ERR One or more scores can't be converted into double");
        Comparison<SortKey> compare = alpha ? CompareAlpha : CompareNumeric;
        var order = keys.ToList();
        order.Sort(descending ? (a, b) => compare(b, a) : compare);
        return order.ConvertAll(k => k.Element);
    }

    private static int CompareNumeric(SortKey a, SortKey b) =>
        a.Score > b.Score ? 1 : a.Score < b.Score ? -1 : a.Element.AsSpan().SequenceCompareTo(b.Element);

    /// <summary>A missing BY value sorts first (Redis compares a null compare object as smaller).</summary>
    private static int CompareAlpha(SortKey a, SortKey b)
    {
        if (a.Text == null || b.Text == null) return a.Text == b.Text ? 0 : a.Text == null ? -1 : 1;
        return a.Text.AsSpan().SequenceCompareTo(b.Text);
    }

    /// <summary>strtod as SORT uses it: leading white space is skipped, an empty value is 0, anything left over, NaN or a literal out of range fails.</summary>
    private static bool TryParseScore(byte[] value, out double score)
    {
        score = 0;
        if (value.Length == 0) return true;
        int skip = 0;
        while (skip < value.Length && RedisNumbers.IsSpace(value[skip])) skip++;
        return RedisNumbers.TryParseDouble(value.AsSpan(skip), out score);
    }

    /// <summary>
    /// Redis's lookupKeyByPattern: <c>#</c> is the element itself; otherwise the first <c>*</c> is replaced by the element,
    /// and a <c>-&gt;field</c> after it reads that field of a hash; a plain key must hold a string. Null when nothing is found.
    /// </summary>
    private static byte[]? Lookup(KvDatabase db, byte[] pattern, byte[] element)
    {
        if (pattern is [(byte)'#']) return element;
        int star = pattern.AsSpan().IndexOf((byte)'*');
        if (star < 0) return null;
        int arrow = pattern.AsSpan(star + 1).IndexOf("->"u8);
        int fieldStart = arrow < 0 ? -1 : star + 1 + arrow + 2;
        bool hasField = fieldStart >= 0 && fieldStart < pattern.Length;
        int keyEnd = hasField ? fieldStart - 2 : pattern.Length;
        var key = new byte[star + element.Length + (keyEnd - star - 1)];
        pattern.AsSpan(0, star).CopyTo(key);
        element.CopyTo(key, star);
        pattern.AsSpan(star + 1, keyEnd - star - 1).CopyTo(key.AsSpan(star + element.Length));
        try
        {
            var type = db.Type(key);
            if (hasField) return type == KeyType.Hash ? db.HGet(key, pattern.AsSpan(fieldStart)) : null;
            return type == KeyType.String ? db.Get(key) : null;
        }
        catch (WrongTypeException)
        {
            return null; // replaced by another type between the two reads: not a string (or hash) now
        }
    }

    /// <summary>Replaces <paramref name="key"/> (any type, and its expiry) with a new list of <paramref name="items"/> in one batch; none deletes it.</summary>
    private static void ReplaceWithList(this KvDatabase db, byte[] key, List<byte[]> items, string changeEvent)
    {
        using var _ = db.LockKey(key);
        var existing = db.GetMetadata(key);
        if (items.Count == 0)
        {
            if (existing == null) return;
            db.Commit(key, existing, null, null, "del", KeyEventClass.Generic);
            return;
        }
        var list = db.NewCollection(KeyType.List) with { Count = items.Count };
        using var lease = db.RentBatch();
        for (int i = 0; i < items.Count; i++)
            lease.Batch.Put(KeyCodec.ListElement(db.Index, list.Version, list.ListHead + (ulong)i), items[i]);
        db.Commit(key, existing, list, lease.Batch);
        // Redis's setKey: a new key is announced as "new" (by Changed); a replaced one is not.
        db.Changed(key, existing, list, changeEvent, KeyEventClass.List);
    }

    private sealed record SortKey(byte[] Element, double Score, byte[]? Text);
}
