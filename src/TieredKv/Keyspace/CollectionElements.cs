namespace TieredKv.Keyspace;

/// <summary>Reads and randomly samples the elements of one collection through its element iterator, in field order.</summary>
internal static class CollectionElements
{
    /// <summary>Every element (field without the sub-key prefix, value) in field order.</summary>
    public static List<(byte[] Field, byte[] Value)> ReadAll(Storage.Iterators.DbIterator it)
    {
        var elements = new List<(byte[] Field, byte[] Value)>();
        for (it.SeekToFirst(); it.Valid; it.Next())
            elements.Add((it.Key[KeyCodec.SubKeyPrefixLength..].ToArray(), it.Value.ToArray()));
        return elements;
    }

    /// <summary>
    /// <paramref name="count"/> elements of a collection of <paramref name="size"/>: distinct when
    /// <paramref name="distinct"/> (then count &lt; size), else drawn with repetition. The iterator
    /// walks only up to the highest position drawn and nothing but the picks is kept, in random order.
    /// </summary>
    public static List<(byte[] Field, byte[] Value)> Sample(Storage.Iterators.DbIterator it, long size, int count, bool distinct, Random random)
    {
        var positions = distinct ? DistinctPositions(size, count, random) : AnyPositions(size, count, random);
        Array.Sort(positions);
        var picks = new List<(byte[] Field, byte[] Value)>(count);
        long position = 0;
        it.SeekToFirst();
        foreach (long wanted in positions)
        {
            for (; position < wanted && it.Valid; position++) it.Next();
            if (!it.Valid) break; // the count was stale: cannot happen under the key lock
            picks.Add((it.Key[KeyCodec.SubKeyPrefixLength..].ToArray(), it.Value.ToArray()));
        }
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(picks));
        return picks;
    }

    /// <summary>Floyd's algorithm: <paramref name="count"/> distinct positions below <paramref name="size"/> in exactly count draws.</summary>
    private static long[] DistinctPositions(long size, int count, Random random)
    {
        var chosen = new HashSet<long>(count);
        for (long j = size - count; j < size; j++)
        {
            long t = random.NextInt64(j + 1);
            chosen.Add(chosen.Contains(t) ? j : t);
        }
        return [.. chosen];
    }

    private static long[] AnyPositions(long size, int count, Random random)
    {
        var positions = new long[count];
        for (int i = 0; i < count; i++) positions[i] = random.NextInt64(size);
        return positions;
    }
}
