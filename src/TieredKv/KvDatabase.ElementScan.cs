using TieredKv.Keyspace;

namespace TieredKv;

public sealed partial class KvDatabase
{
    /// <summary>
    /// One HSCAN/SSCAN step over a collection's elements: looks at about <paramref name="count"/>
    /// elements after the cursor, in field order, and returns those whose field matches
    /// <paramref name="pattern"/>. A cursor stands for the last field returned (kept with SCAN's), so
    /// every element present for the whole scan is returned exactly once.
    /// </summary>
    private (ulong Cursor, List<(byte[] Field, byte[] Value)> Elements) ScanElements(KeyMetadata? metadata, ulong cursor, ReadOnlySpan<byte> pattern, int count)
    {
        var elements = new List<(byte[] Field, byte[] Value)>();
        if (metadata == null) return (0, elements);
        byte[]? after = null;
        if (cursor != 0 && !_cursors.TryGet(cursor, out after)) return (0, elements);
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
        return (_cursors.Add(last), elements);
    }
}
