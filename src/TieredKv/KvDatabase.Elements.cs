using TieredKv.Changes;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage.Format;

namespace TieredKv;

public sealed partial class KvDatabase
{
    /// <summary>
    /// One HSCAN/SSCAN step over a collection's elements: looks at about <paramref name="count"/>
    /// elements after the cursor, in field order, and returns those whose field matches
    /// <paramref name="pattern"/>. A cursor stands for the last field returned (kept with SCAN's), so
    /// every element present for the whole scan is returned exactly once.
    /// </summary>
    internal (ulong Cursor, List<(byte[] Field, byte[] Value)> Elements) ScanElements(KeyMetadata? metadata, ulong cursor, ReadOnlySpan<byte> pattern, int count)
    {
        var elements = new List<(byte[] Field, byte[] Value)>();
        if (metadata == null) return (0, elements);
        byte[]? after = null;
        if (cursor != 0 && !Cursors.TryGet(cursor, out after)) return (0, elements);
        bool matchAll = pattern.IsEmpty || (pattern.Length == 1 && pattern[0] == (byte)'*');
        using var it = IterateElements(metadata);
        if (after == null) it.SeekToFirst();
        else
        {
            it.Seek(KeyCodec.SubKey(Index, metadata.Version, after));
            if (it.Valid && it.Key[ElementPrefixLength..].SequenceEqual(after)) it.Next();
        }
        byte[]? last = null;
        for (int examined = 0; it.Valid && examined < Math.Max(1, count); it.Next(), examined++)
        {
            last = it.Key[ElementPrefixLength..].ToArray();
            if (matchAll || GlobPattern.Match(pattern, last)) elements.Add((last, it.Value.ToArray()));
        }
        if (!it.Valid || last == null) return (0, elements);
        return (Cursors.Add(last), elements);
    }

    /// <summary>
    /// Removes those of <paramref name="fields"/> that exist from a hash or set, deleting the key when
    /// none is left; returns how many were removed. Caller holds the key.
    /// </summary>
    internal long RemoveSubKeys(ReadOnlySpan<byte> key, KeyMetadata metadata, IEnumerable<byte[]> fields, string changeEvent, KeyEventClass changeClass)
    {
        var batch = new WriteBatch();
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        long removed = 0;
        foreach (var field in fields)
        {
            if (!seen.Add(field) || GetElement(metadata, field) == null) continue;
            batch.Delete(KeyCodec.SubKey(Index, metadata.Version, field));
            removed++;
        }
        if (removed == 0) return 0;
        long left = metadata.Count - removed;
        Commit(key, metadata, left == 0 ? null : metadata with { Count = left }, batch, changeEvent, changeClass);
        return removed;
    }

    /// <summary>
    /// Random elements with Redis's count rule: positive = distinct (all when count ≥ size), negative =
    /// |count| draws that may repeat. Caller holds the key.
    /// </summary>
    internal List<(byte[] Field, byte[] Value)> SampleSubKeys(KeyMetadata metadata, long count)
    {
        using var it = IterateElements(metadata);
        if (count >= metadata.Count)
        {
            var all = CollectionElements.ReadAll(it);
            Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(all));
            return all;
        }
        long wanted = Math.Abs(count);
        if (wanted > Array.MaxLength) throw new KvException("ERR value is out of range");
        return CollectionElements.Sample(it, metadata.Count, (int)wanted, distinct: count > 0, Random.Shared);
    }

    /// <summary>Turns Redis start/stop indexes into a clamped inclusive range of [0, count); false when it is empty.</summary>
    internal static bool ClampRange(long count, ref long start, ref long stop)
    {
        if (start < 0) start += count;
        if (stop < 0) stop += count;
        if (start < 0) start = 0;
        if (stop >= count) stop = count - 1;
        return start <= stop && start < count;
    }
}
