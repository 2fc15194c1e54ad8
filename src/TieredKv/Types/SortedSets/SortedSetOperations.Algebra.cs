using System.Buffers.Binary;
using TieredKv.Changes;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.Iterators;
using TieredKv.Types.SortedSets;

namespace TieredKv;

/// <summary>Sorted-set algebra: ZUNION, ZINTER, ZDIFF (and their STORE forms), ZINTERCARD, ZRANGESTORE and score-range visits into a destination.</summary>
public static partial class SortedSetOperations
{
    /// <summary>ZUNIONSTORE: stores the union of the sources (sorted sets or sets, whose members score 1); returns its size.</summary>
    public static long ZUnionStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys, IReadOnlyList<double>? weights = null, ZAggregate aggregate = ZAggregate.Sum) =>
        db.CombineStore(destination, keys, sources => db.Union(sources, weights, aggregate), "zunionstore");

    /// <summary>ZINTERSTORE: stores the intersection of the sources; returns its size.</summary>
    public static long ZInterStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys, IReadOnlyList<double>? weights = null, ZAggregate aggregate = ZAggregate.Sum) =>
        db.CombineStore(destination, keys, sources => db.Inter(sources, weights, aggregate, 0), "zinterstore");

    /// <summary>ZDIFFSTORE: stores the members of the first source found in no other, with their scores; returns its size.</summary>
    public static long ZDiffStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys) =>
        db.CombineStore(destination, keys, sources => db.Diff(sources), "zdiffstore");

    /// <summary>ZUNION: the union, by ascending (score, member).</summary>
    public static List<(byte[] Member, double Score)> ZUnion(this KvDatabase db, IReadOnlyList<byte[]> keys, IReadOnlyList<double>? weights = null, ZAggregate aggregate = ZAggregate.Sum) =>
        db.Combine(keys, sources => db.Union(sources, weights, aggregate));

    /// <summary>ZINTER: the intersection, by ascending (score, member).</summary>
    public static List<(byte[] Member, double Score)> ZInter(this KvDatabase db, IReadOnlyList<byte[]> keys, IReadOnlyList<double>? weights = null, ZAggregate aggregate = ZAggregate.Sum) =>
        db.Combine(keys, sources => db.Inter(sources, weights, aggregate, 0));

    /// <summary>ZDIFF: the difference, by ascending (score, member).</summary>
    public static List<(byte[] Member, double Score)> ZDiff(this KvDatabase db, IReadOnlyList<byte[]> keys) => db.Combine(keys, sources => db.Diff(sources));

    /// <summary>ZINTERCARD: the size of the intersection, counting at most <paramref name="limit"/> (0 = no limit).</summary>
    public static long ZInterCard(this KvDatabase db, IReadOnlyList<byte[]> keys, long limit = 0)
    {
        if (limit < 0) throw new KvException("ERR LIMIT can't be negative");
        if (keys.Count == 0) throw new KvException("ERR at least 1 input key is needed for 'zintercard' command");
        using var _ = db.LockKeys(keys);
        return db.Inter(db.Sources(keys), null, ZAggregate.Sum, limit).Count;
    }

    /// <summary>ZRANGESTORE by rank: stores the range of <paramref name="source"/> into <paramref name="destination"/>; returns its size.</summary>
    public static long ZRangeStore(this KvDatabase db, byte[] destination, byte[] source, long start, long stop, bool reverse = false) =>
        db.RangeStore(destination, source, z => db.RangeByRank(z, start, stop, reverse));

    /// <summary>ZRANGESTORE … BYSCORE.</summary>
    public static long ZRangeStore(this KvDatabase db, byte[] destination, byte[] source, ScoreBound min, ScoreBound max, bool reverse = false, long offset = 0, long count = -1) =>
        db.RangeStore(destination, source, z => db.RangeByScore(z, min, max, reverse, offset, count));

    /// <summary>ZRANGESTORE … BYLEX.</summary>
    public static long ZRangeStore(this KvDatabase db, byte[] destination, byte[] source, LexBound min, LexBound max, bool reverse = false, long offset = 0, long count = -1) =>
        db.RangeStore(destination, source, z => db.RangeByLex(z, min, max, reverse, offset, count));

    /// <summary>
    /// Replaces <paramref name="destination"/> (of any type) by a sorted set of <paramref name="members"/>, or deletes it when there are none; returns its size.
    /// The change is reported as <paramref name="changeEvent"/> (e.g. "geosearchstore"; "del" when deleted), or not at all when null.
    /// </summary>
    public static long ZStore(this KvDatabase db, byte[] destination, List<(byte[] Member, double Score)> members, string? changeEvent = null)
    {
        using var _ = db.LockKey(destination);
        return db.StoreZSet(destination, members, changeEvent);
    }

    /// <summary>
    /// Reads several score ranges of one sorted set under one lock (a consistent view, as geo searches
    /// need), in the order given, each ascending, passing every member to <paramref name="visit"/> until
    /// it returns false. A missing key visits nothing. Not counted as a keyspace hit or miss: a geo search counts
    /// its one lookup of the key when it first checks it (as Redis's GEOSEARCH looks its key up once).
    /// </summary>
    public static void ZVisitScoreRanges(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<(ScoreBound Min, ScoreBound Max)> ranges, Func<byte[], double, bool> visit)
    {
        using var _ = db.LockKey(key);
        db.VisitScoreRanges(db.GetMetadata(key, KeyType.SortedSet), ranges, visit);
    }

    /// <summary>
    /// As <see cref="ZVisitScoreRanges"/>, then, still holding both keys, replaces <paramref name="destination"/>
    /// by the sorted set <paramref name="result"/> builds (or deletes it when empty); returns its size.
    /// </summary>
    public static long ZVisitScoreRangesStore(this KvDatabase db, byte[] destination, byte[] source, IReadOnlyList<(ScoreBound Min, ScoreBound Max)> ranges,
        Func<byte[], double, bool> visit, Func<List<(byte[] Member, double Score)>> result, string? changeEvent = null)
    {
        using var _ = db.LockKeys([source, destination]);
        db.VisitScoreRanges(db.GetMetadata(source, KeyType.SortedSet), ranges, visit);
        return db.StoreZSet(destination, result(), changeEvent);
    }

    private static void VisitScoreRanges(this KvDatabase db, KeyMetadata? z, IReadOnlyList<(ScoreBound Min, ScoreBound Max)> ranges, Func<byte[], double, bool> visit)
    {
        if (z == null) return;
        foreach (var (min, max) in ranges)
        {
            foreach (var (member, score) in db.RangeByScore(z, min, max, false, 0, -1))
                if (!visit(member, score)) return;
        }
    }

    private static long RangeStore(this KvDatabase db, byte[] destination, byte[] source, Func<KeyMetadata, List<(byte[] Member, double Score)>> range)
    {
        using var _ = db.LockKeys([source, destination]);
        var z = db.ReadMetadata(source, KeyType.SortedSet);
        var result = z == null ? [] : range(z);
        return db.StoreZSet(destination, result, "zrangestore");
    }

    private static List<(byte[] Member, double Score)> Combine(this KvDatabase db, IReadOnlyList<byte[]> keys, Func<List<KeyMetadata?>, Dictionary<byte[], double>> combine)
    {
        if (keys.Count == 0) throw new KvException("ERR at least 1 input key is needed for db command");
        using var _ = db.LockKeys(keys);
        return Sorted(combine(db.Sources(keys)));
    }

    private static long CombineStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys, Func<List<KeyMetadata?>, Dictionary<byte[], double>> combine, string changeEvent)
    {
        if (keys.Count == 0) throw new KvException("ERR at least 1 input key is needed for db command");
        using var _ = db.LockKeys([.. keys, destination]);
        return db.StoreZSet(destination, Sorted(combine(db.Sources(keys))), changeEvent);
    }

    /// <summary>Metadata of each source, in order; WRONGTYPE unless every present one is a sorted set or a set.</summary>
    private static List<KeyMetadata?> Sources(this KvDatabase db, IReadOnlyList<byte[]> keys)
    {
        var sources = new List<KeyMetadata?>(keys.Count);
        foreach (var key in keys)
        {
            var m = db.ReadMetadata(key);
            if (m != null && m.Type is not (KeyType.SortedSet or KeyType.Set)) throw new WrongTypeException();
            sources.Add(m);
        }
        return sources;
    }

    private static IReadOnlyList<double> CheckWeights(IReadOnlyList<double>? weights, int sources)
    {
        if (weights == null) return Enumerable.Repeat(1.0, sources).ToArray();
        if (weights.Count != sources) throw new KvException("ERR syntax error");
        return weights;
    }

    private static Dictionary<byte[], double> Union(this KvDatabase db, List<KeyMetadata?> sources, IReadOnlyList<double>? weights, ZAggregate aggregate)
    {
        var w = CheckWeights(weights, sources.Count);
        var result = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is not { } source) continue;
            foreach (var (member, score) in db.SourceMembers(source))
            {
                double value = Weighted(score, w[i]);
                result[member] = result.TryGetValue(member, out var existing) ? Aggregate(existing, value, aggregate) : value;
            }
        }
        return result;
    }

    private static Dictionary<byte[], double> Inter(this KvDatabase db, List<KeyMetadata?> sources, IReadOnlyList<double>? weights, ZAggregate aggregate, long limit)
    {
        var w = CheckWeights(weights, sources.Count);
        var result = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        if (sources.Any(s => s == null)) return result;
        // Walk the smallest source and probe the others by member.
        int smallest = 0;
        for (int i = 1; i < sources.Count; i++) if (sources[i]!.Count < sources[smallest]!.Count) smallest = i;
        foreach (var (member, _) in db.SourceMembers(sources[smallest]!))
        {
            double value = 0;
            bool inAll = true;
            for (int i = 0; i < sources.Count && inAll; i++)
            {
                if (db.SourceScore(sources[i]!, member) is not { } score) inAll = false;
                else value = i == 0 ? Weighted(score, w[i]) : Aggregate(value, Weighted(score, w[i]), aggregate);
            }
            if (!inAll) continue;
            result[member] = value;
            if (limit > 0 && result.Count >= limit) break;
        }
        return result;
    }

    private static Dictionary<byte[], double> Diff(this KvDatabase db, List<KeyMetadata?> sources)
    {
        var result = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        if (sources[0] is not { } first) return result;
        foreach (var (member, score) in db.SourceMembers(first))
        {
            bool elsewhere = false;
            for (int i = 1; i < sources.Count && !elsewhere; i++)
                elsewhere = sources[i] is { } other && db.SourceScore(other, member) != null;
            if (!elsewhere) result[member] = score;
        }
        return result;
    }

    /// <summary>Redis turns the NaN of 0 × ±inf into 0.</summary>
    private static double Weighted(double score, double weight)
    {
        double value = score * weight;
        return double.IsNaN(value) ? 0 : value;
    }

    private static double Aggregate(double a, double b, ZAggregate aggregate) => aggregate switch
    {
        ZAggregate.Min => Math.Min(a, b),
        ZAggregate.Max => Math.Max(a, b),
        _ => double.IsNaN(a + b) ? 0 : a + b, // inf + -inf, as Redis
    };

    /// <summary>Every member of a sorted set (with its score) or a set (score 1).</summary>
    private static IEnumerable<(byte[] Member, double Score)> SourceMembers(this KvDatabase db, KeyMetadata source)
    {
        using var it = db.IterateElements(source);
        for (it.SeekToFirst(); it.Valid; it.Next())
            yield return (it.Key[KvDatabase.ElementPrefixLength..].ToArray(), source.Type == KeyType.Set ? 1 : DecodeScore(it.Value));
    }

    private static double? SourceScore(this KvDatabase db, KeyMetadata source, ReadOnlySpan<byte> member)
    {
        var raw = db.GetElement(source, member);
        return raw == null ? null : source.Type == KeyType.Set ? 1 : DecodeScore(raw);
    }

    private static List<(byte[] Member, double Score)> Sorted(Dictionary<byte[], double> members)
    {
        var list = members.Select(p => (Member: p.Key, Score: p.Value)).ToList();
        list.Sort((a, b) => a.Score != b.Score ? a.Score.CompareTo(b.Score) : a.Member.AsSpan().SequenceCompareTo(b.Member));
        return list;
    }

    /// <summary>Replaces <paramref name="destination"/> (of any type) by a new sorted set of <paramref name="members"/>, or deletes it when there are none. Caller holds it.</summary>
    private static long StoreZSet(this KvDatabase db, byte[] destination, List<(byte[] Member, double Score)> members, string? changeEvent)
    {
        var existing = db.GetMetadata(destination);
        if (members.Count == 0)
        {
            if (existing != null) db.Commit(destination, existing, null);
            if (existing != null && changeEvent != null) db.Changed(destination, "del", KeyEventClass.Generic);
            return 0;
        }
        var z = db.NewCollection(KeyType.SortedSet) with { Count = members.Count };
        var batch = new WriteBatch();
        foreach (var (member, score) in members) db.StageZMember(batch, z, member, null, score);
        db.Commit(destination, existing, z, batch);
        if (changeEvent != null) db.Changed(destination, existing, z, changeEvent, KeyEventClass.SortedSet);
        return members.Count;
    }
}
