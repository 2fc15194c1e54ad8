using System.Buffers.Binary;
using TieredKv.Changes;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Storage.Iterators;
using TieredKv.Types.SortedSets;

namespace TieredKv;

/// <summary>
/// Sorted sets (Redis's t_zset.c): a member record <c>S | member → score</c> answers ZSCORE in O(1);
/// the score index <c>Z | score | member</c>, ordered by (score, member), answers rank and range queries
/// with one iterator. Both change together in one batch.
/// </summary>
public static partial class SortedSetOperations
{
    private const int ScoreIndexPrefixLength = 18;

    // ------------------------------------------------------------ writes

    /// <summary>ZADD with its flags.</summary>
    /// <exception cref="KvException">Incompatible flags; INCR with several pairs; an increment producing NaN.</exception>
    public static ZAddResult ZAdd(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<(double Score, byte[] Member)> entries, ZAddOptions? options = null)
    {
        options ??= ZAddOptions.None;
        if (options.Nx && options.Xx) throw new KvException("ERR XX and NX options at the same time are not compatible");
        if ((options.Gt && options.Nx) || (options.Lt && options.Nx) || (options.Gt && options.Lt))
            throw new KvException("ERR GT, LT, and/or NX options at the same time are not compatible");
        if (options.Incr && entries.Count != 1) throw new KvException("ERR INCR option supports a single increment-element pair");
        foreach (var (score, _) in entries)
            if (double.IsNaN(score)) throw new KvException("ERR value is not a valid float");

        using var _ = db.LockKey(key);
        var before = db.GetMetadata(key, KeyType.SortedSet);
        if (before == null && options.Xx) return new ZAddResult(0, null);
        var z = before ?? db.NewCollection(KeyType.SortedSet);
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        var pending = new Dictionary<byte[], double>(ByteArrayComparer.Instance);
        long added = 0, updated = 0, count = z.Count;
        double? resultScore = null;
        foreach (var (input, member) in entries)
        {
            double? current = pending.TryGetValue(member, out var p) ? p : before == null ? null : db.ReadScore(before, member);
            double score = input;
            if (current is { } cur)
            {
                if (options.Nx) continue;
                if (options.Incr)
                {
                    score += cur;
                    if (double.IsNaN(score)) throw new KvException("ERR resulting score is not a number (NaN)");
                }
                if ((options.Lt && score >= cur) || (options.Gt && score <= cur)) continue;
                resultScore = score;
                if (score != cur)
                {
                    db.StageZMember(batch, z, member, cur, score);
                    pending[member] = Normalize(score);
                    updated++;
                }
            }
            else
            {
                if (options.Xx) continue;
                db.StageZMember(batch, z, member, null, score);
                pending[member] = Normalize(score);
                resultScore = score;
                added++;
                count++;
            }
        }
        if (added + updated > 0) db.Commit(key, before, z with { Count = count }, batch, options.Incr ? "zincr" : "zadd", KeyEventClass.SortedSet);
        return new ZAddResult(options.Ch ? added + updated : added, options.Incr ? resultScore : null);
    }

    /// <summary>Adds <paramref name="increment"/> to the member's score (from 0 when absent); returns the new score.</summary>
    /// <exception cref="KvException">ERR resulting score is not a number (NaN).</exception>
    public static double ZIncrBy(this KvDatabase db, ReadOnlySpan<byte> key, double increment, byte[] member) =>
        db.ZAdd(key, [(increment, member)], new ZAddOptions { Incr = true }).Score!.Value;

    /// <summary>Removes members; returns how many were present.</summary>
    public static long ZRem(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        using var _ = db.LockKey(key);
        var z = db.GetMetadata(key, KeyType.SortedSet);
        if (z == null) return 0;
        var removed = new List<(byte[] Member, double Score)>();
        var seen = new HashSet<byte[]>(ByteArrayComparer.Instance);
        foreach (var member in members)
            if (seen.Add(member) && db.ReadScore(z, member) is { } score) removed.Add((member, score));
        db.RemoveZMembers(key, z, removed, "zrem");
        return removed.Count;
    }

    // ------------------------------------------------------------ point reads

    /// <summary>The number of members; 0 when the key is missing.</summary>
    public static long ZCard(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadMetadata(key, KeyType.SortedSet)?.Count ?? 0;
    }

    /// <summary>The member's score, or null.</summary>
    public static double? ZScore(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        return z == null ? null : db.ReadScore(z, member);
    }

    /// <summary>The scores of several members (null for absent ones).</summary>
    public static double?[] ZMScore(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        var scores = new double?[members.Count];
        if (z != null) for (int i = 0; i < members.Count; i++) scores[i] = db.ReadScore(z, members[i]);
        return scores;
    }

    /// <summary>The member's 0-based rank by ascending (score, member), or null.</summary>
    public static long? ZRank(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        return z == null ? null : db.RankOf(z, member);
    }

    /// <summary>The member's 0-based rank by descending (score, member), or null.</summary>
    public static long? ZRevRank(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        return z == null ? null : z.Count - 1 - db.RankOf(z, member);
    }

    /// <summary>
    /// The ascending rank, found by walking the score index toward the member from both ends at once:
    /// the cost is twice its distance from the nearer end, so the top and the bottom of a large
    /// leaderboard answer quickly (the middle is still O(n)).
    /// </summary>
    private static long? RankOf(this KvDatabase db, KeyMetadata z, ReadOnlySpan<byte> member)
    {
        if (db.ReadScore(z, member) is not { } score) return null;
        var entry = KeyCodec.ScoreIndex(db.Index, z.Version, score, member);
        using var below = db.ScoreIterator(z, null, entry);
        using var above = db.ScoreIterator(z, [.. entry, 0], null); // the first key after the entry
        below.SeekToFirst();
        above.SeekToLast();
        for (long n = 0; ; n++)
        {
            if (!below.Valid) return n;
            if (!above.Valid) return z.Count - 1 - n;
            below.Next();
            above.Prev();
        }
    }

    /// <summary>Counts what an iterator can reach (ranks and counts walk the index: O(n) in what they count).</summary>
    private static long CountEntries(Storage.Iterators.DbIterator it)
    {
        long n = 0;
        for (it.SeekToFirst(); it.Valid; it.Next()) n++;
        return n;
    }

    // ------------------------------------------------------------ counts and ranges

    /// <summary>How many members have a score within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long ZCount(this KvDatabase db, ReadOnlySpan<byte> key, ScoreBound min, ScoreBound max)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        if (z == null || db.ScoreRange(z, min, max) is not (var lower, var upper)) return 0;
        using var it = db.ScoreIterator(z, lower, upper);
        return CountEntries(it);
    }

    /// <summary>How many members lie within the lexicographic range (meaningful when all scores are equal).</summary>
    public static long ZLexCount(this KvDatabase db, ReadOnlySpan<byte> key, LexBound min, LexBound max)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        if (z == null || db.LexRange(z, min, max) is not (var lower, var upper)) return 0;
        using var it = db.Engine.NewIterator(new ReadOptions { LowerBound = lower, UpperBound = upper });
        return CountEntries(it);
    }

    /// <summary>Members from rank <paramref name="start"/> to <paramref name="stop"/> (Redis index rules), ascending or, with <paramref name="reverse"/>, descending.</summary>
    public static List<(byte[] Member, double Score)> ZRangeByRank(this KvDatabase db, ReadOnlySpan<byte> key, long start, long stop, bool reverse = false)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        return z == null ? [] : db.RangeByRank(z, start, stop, reverse);
    }

    /// <summary>
    /// Members with scores in [<paramref name="min"/>, <paramref name="max"/>], ascending (or descending with
    /// <paramref name="reverse"/>; the bounds keep their meaning), skipping <paramref name="offset"/> and returning
    /// at most <paramref name="count"/> (negative = all), as LIMIT.
    /// </summary>
    public static List<(byte[] Member, double Score)> ZRangeByScore(this KvDatabase db, ReadOnlySpan<byte> key, ScoreBound min, ScoreBound max,
        bool reverse = false, long offset = 0, long count = -1)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        return z == null ? [] : db.RangeByScore(z, min, max, reverse, offset, count);
    }

    /// <summary>As <see cref="ZRangeByScore"/> over a lexicographic member range.</summary>
    public static List<(byte[] Member, double Score)> ZRangeByLex(this KvDatabase db, ReadOnlySpan<byte> key, LexBound min, LexBound max,
        bool reverse = false, long offset = 0, long count = -1)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        return z == null ? [] : db.RangeByLex(z, min, max, reverse, offset, count);
    }

    /// <summary>Removes the members from rank <paramref name="start"/> to <paramref name="stop"/>; returns how many.</summary>
    public static long ZRemRangeByRank(this KvDatabase db, ReadOnlySpan<byte> key, long start, long stop)
    {
        using var _ = db.LockKey(key);
        var z = db.GetMetadata(key, KeyType.SortedSet);
        if (z == null) return 0;
        var removed = db.RangeByRank(z, start, stop, reverse: false);
        db.RemoveZMembers(key, z, removed, "zremrangebyrank");
        return removed.Count;
    }

    /// <summary>Removes the members with scores in range; returns how many.</summary>
    public static long ZRemRangeByScore(this KvDatabase db, ReadOnlySpan<byte> key, ScoreBound min, ScoreBound max)
    {
        using var _ = db.LockKey(key);
        var z = db.GetMetadata(key, KeyType.SortedSet);
        if (z == null) return 0;
        var removed = db.RangeByScore(z, min, max, reverse: false, 0, -1);
        db.RemoveZMembers(key, z, removed, "zremrangebyscore");
        return removed.Count;
    }

    /// <summary>Removes the members in the lexicographic range; returns how many.</summary>
    public static long ZRemRangeByLex(this KvDatabase db, ReadOnlySpan<byte> key, LexBound min, LexBound max)
    {
        using var _ = db.LockKey(key);
        var z = db.GetMetadata(key, KeyType.SortedSet);
        if (z == null) return 0;
        var removed = db.RangeByLex(z, min, max, reverse: false, 0, -1);
        db.RemoveZMembers(key, z, removed, "zremrangebylex");
        return removed.Count;
    }

    /// <summary>Removes and returns up to <paramref name="count"/> members with the lowest scores.</summary>
    public static List<(byte[] Member, double Score)> ZPopMin(this KvDatabase db, ReadOnlySpan<byte> key, long count = 1) => db.ZPop(key, count, max: false);

    /// <summary>Removes and returns up to <paramref name="count"/> members with the highest scores, highest first.</summary>
    public static List<(byte[] Member, double Score)> ZPopMax(this KvDatabase db, ReadOnlySpan<byte> key, long count = 1) => db.ZPop(key, count, max: true);

    private static List<(byte[] Member, double Score)> ZPop(this KvDatabase db, ReadOnlySpan<byte> key, long count, bool max)
    {
        if (count < 0) throw new KvException("ERR value is out of range, must be positive");
        using var _ = db.LockKey(key);
        var z = db.GetMetadata(key, KeyType.SortedSet);
        if (z == null || count == 0) return [];
        var popped = db.RangeByRank(z, 0, count - 1, reverse: max);
        db.RemoveZMembers(key, z, popped, max ? "zpopmax" : "zpopmin");
        return popped;
    }

    /// <summary>A random member, or null when the key is missing.</summary>
    public static byte[]? ZRandMember(this KvDatabase db, ReadOnlySpan<byte> key) => db.ZRandMember(key, 1).FirstOrDefault().Member;

    /// <summary>
    /// ZRANDMEMBER with a count: <paramref name="count"/> &gt; 0 returns that many distinct members (at most all);
    /// &lt; 0 returns |count| members that may repeat. Scores come along (WITHSCORES is the caller's choice to show them).
    /// </summary>
    public static List<(byte[] Member, double Score)> ZRandMember(this KvDatabase db, ReadOnlySpan<byte> key, long count)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        if (z == null || count == 0) return [];
        long n = z.Count;
        long[] ranks;
        if (count > 0)
        {
            if (count >= n) return db.RangeByRank(z, 0, -1, reverse: false);
            var chosen = new HashSet<long>();
            while (chosen.Count < count) chosen.Add(Random.Shared.NextInt64(n));
            ranks = [.. chosen];
            Random.Shared.Shuffle(ranks);
        }
        else
        {
            if (count == long.MinValue || -count > int.MaxValue) throw new KvException("ERR value is out of range");
            ranks = new long[-count];
            for (int i = 0; i < ranks.Length; i++) ranks[i] = Random.Shared.NextInt64(n);
        }
        // One pass over the index picks up every chosen rank.
        var wanted = ranks.Distinct().Order().ToArray();
        var byRank = new Dictionary<long, (byte[] Member, double Score)>(wanted.Length);
        using (var it = db.ScoreIterator(z))
        {
            long rank = 0;
            int next = 0;
            for (it.SeekToFirst(); it.Valid && next < wanted.Length; it.Next(), rank++)
                if (rank == wanted[next]) byRank[wanted[next++]] = IndexEntry(it.Key);
        }
        return [.. ranks.Select(r => byRank[r])];
    }

    /// <summary>One ZSCAN step over members in member order; <paramref name="cursor"/> 0 starts.</summary>
    public static ZScanPage ZScan(this KvDatabase db, ReadOnlySpan<byte> key, ulong cursor, ReadOnlySpan<byte> pattern = default, int count = 10)
    {
        using var _ = db.LockKey(key);
        var z = db.ReadMetadata(key, KeyType.SortedSet);
        byte[]? after = null;
        if (z == null || (cursor != 0 && !db.Cursors.TryGet(cursor, out after))) return new ZScanPage(0, []);
        var entries = new List<(byte[] Member, double Score)>();
        using var it = db.IterateElements(z);
        if (after == null) it.SeekToFirst();
        else
        {
            it.Seek(KeyCodec.SubKey(db.Index, z.Version, after));
            if (it.Valid && it.Key[KvDatabase.ElementPrefixLength..].SequenceEqual(after)) it.Next();
        }
        byte[]? last = null;
        bool matchAll = pattern.IsEmpty || (pattern.Length == 1 && pattern[0] == (byte)'*');
        for (int examined = 0; it.Valid && examined < Math.Max(1, count); it.Next(), examined++)
        {
            last = it.Key[KvDatabase.ElementPrefixLength..].ToArray();
            if (matchAll || GlobPattern.Match(pattern, last)) entries.Add((last, DecodeScore(it.Value)));
        }
        if (!it.Valid || last == null) return new ZScanPage(0, entries);
        return new ZScanPage(db.Cursors.Add(last), entries);
    }

    // ------------------------------------------------------------ encoding helpers

    private static double Normalize(double score) => score == 0 ? 0 : score; // -0.0 and 0.0 are one score

    private static double DecodeScore(ReadOnlySpan<byte> raw) => BinaryPrimitives.ReadDoubleLittleEndian(raw);

    internal static double? ReadScore(this KvDatabase db, KeyMetadata z, ReadOnlySpan<byte> member)
    {
        var raw = db.GetElement(z, member);
        return raw == null ? null : DecodeScore(raw);
    }

    /// <summary>Stages a member's new score: its member record and its index entry, dropping the old index entry.</summary>
    private static void StageZMember(this KvDatabase db, WriteBatch batch, KeyMetadata z, byte[] member, double? oldScore, double score)
    {
        score = Normalize(score);
        if (oldScore is { } old) batch.Delete(KeyCodec.ScoreIndex(db.Index, z.Version, old, member));
        Span<byte> raw = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(raw, score);
        batch.Put(KeyCodec.SubKey(db.Index, z.Version, member), raw);
        batch.Put(KeyCodec.ScoreIndex(db.Index, z.Version, score, member), []);
    }

    /// <summary>Removes distinct present members in one batch, deleting the key when none is left.</summary>
    private static void RemoveZMembers(this KvDatabase db, ReadOnlySpan<byte> key, KeyMetadata z, List<(byte[] Member, double Score)> members, string changeEvent)
    {
        if (members.Count == 0) return;
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        foreach (var (member, score) in members)
        {
            batch.Delete(KeyCodec.SubKey(db.Index, z.Version, member));
            batch.Delete(KeyCodec.ScoreIndex(db.Index, z.Version, score, member));
        }
        long left = z.Count - members.Count;
        db.Commit(key, z, left == 0 ? null : z with { Count = left }, batch, changeEvent, KeyEventClass.SortedSet);
    }

    private static DbIterator ScoreIterator(this KvDatabase db, KeyMetadata z, byte[]? lower = null, byte[]? upper = null)
    {
        var prefix = KeyCodec.ScorePrefix(db.Index, z.Version);
        return db.Engine.NewIterator(new ReadOptions { LowerBound = lower ?? prefix, UpperBound = upper ?? ReadOptions.PrefixSuccessor(prefix) });
    }

    private static (byte[] Member, double Score) IndexEntry(ReadOnlySpan<byte> indexKey) =>
        (indexKey[ScoreIndexPrefixLength..].ToArray(), ScoreCodec.Decode(indexKey[KvDatabase.ElementPrefixLength..ScoreIndexPrefixLength]));

    /// <summary>Iterator bounds of the index entries with scores in range, or null when the range is empty.</summary>
    private static (byte[] Lower, byte[] Upper)? ScoreRange(this KvDatabase db, KeyMetadata z, ScoreBound min, ScoreBound max)
    {
        var lower = KeyCodec.ScoreIndex(db.Index, z.Version, min.Value, []);
        if (min.Exclusive) lower = ReadOptions.PrefixSuccessor(lower)!;
        var upper = KeyCodec.ScoreIndex(db.Index, z.Version, max.Value, []);
        if (!max.Exclusive) upper = ReadOptions.PrefixSuccessor(upper)!;
        return lower.AsSpan().SequenceCompareTo(upper) < 0 ? (lower, upper) : null;
    }

    /// <summary>Iterator bounds of the member records in a lexicographic range, or null when it is empty.</summary>
    private static (byte[] Lower, byte[] Upper)? LexRange(this KvDatabase db, KeyMetadata z, LexBound min, LexBound max)
    {
        var prefix = KeyCodec.SubKeyPrefix(db.Index, z.Version);
        byte[]? lower = min.Kind switch
        {
            LexBoundKind.NegativeInfinity => prefix,
            LexBoundKind.Inclusive => KeyCodec.SubKey(db.Index, z.Version, min.Value),
            LexBoundKind.Exclusive => [.. KeyCodec.SubKey(db.Index, z.Version, min.Value), 0], // the least key after the member
            _ => null,
        };
        byte[]? upper = max.Kind switch
        {
            LexBoundKind.PositiveInfinity => ReadOptions.PrefixSuccessor(prefix),
            LexBoundKind.Inclusive => [.. KeyCodec.SubKey(db.Index, z.Version, max.Value), 0],
            LexBoundKind.Exclusive => KeyCodec.SubKey(db.Index, z.Version, max.Value),
            _ => null,
        };
        if (lower == null || upper == null || lower.AsSpan().SequenceCompareTo(upper) >= 0) return null;
        return (lower, upper);
    }

    private static List<(byte[] Member, double Score)> RangeByRank(this KvDatabase db, KeyMetadata z, long start, long stop, bool reverse)
    {
        long n = z.Count;
        if (!KvDatabase.ClampRange(n, ref start, ref stop)) return [];
        // In ascending ranks [first, last]; walk in from whichever end is nearer.
        var (first, last) = reverse ? (n - 1 - stop, n - 1 - start) : (start, stop);
        var result = new List<(byte[] Member, double Score)>((int)Math.Min(last - first + 1, 1024));
        using var it = db.ScoreIterator(z);
        bool fromEnd = n - 1 - last < first;
        if (fromEnd)
        {
            it.SeekToLast();
            for (long skip = n - 1 - last; skip > 0 && it.Valid; skip--) it.Prev();
            for (long i = last; i >= first && it.Valid; i--, it.Prev()) result.Add(IndexEntry(it.Key));
            if (!reverse) result.Reverse();
        }
        else
        {
            it.SeekToFirst();
            for (long skip = first; skip > 0 && it.Valid; skip--) it.Next();
            for (long i = first; i <= last && it.Valid; i++, it.Next()) result.Add(IndexEntry(it.Key));
            if (reverse) result.Reverse();
        }
        return result;
    }

    private static List<(byte[] Member, double Score)> RangeByScore(this KvDatabase db, KeyMetadata z, ScoreBound min, ScoreBound max, bool reverse, long offset, long count)
    {
        var result = new List<(byte[] Member, double Score)>();
        if (offset < 0 || count == 0 || db.ScoreRange(z, min, max) is not (var lower, var upper)) return result;
        using var it = db.ScoreIterator(z, lower, upper);
        if (reverse) it.SeekToLast(); else it.SeekToFirst();
        for (; it.Valid && (count < 0 || result.Count < count); Step(it, reverse))
        {
            if (offset > 0) { offset--; continue; }
            result.Add(IndexEntry(it.Key));
        }
        return result;
    }

    private static List<(byte[] Member, double Score)> RangeByLex(this KvDatabase db, KeyMetadata z, LexBound min, LexBound max, bool reverse, long offset, long count)
    {
        var result = new List<(byte[] Member, double Score)>();
        if (offset < 0 || count == 0 || db.LexRange(z, min, max) is not (var lower, var upper)) return result;
        using var it = db.Engine.NewIterator(new ReadOptions { LowerBound = lower, UpperBound = upper });
        if (reverse) it.SeekToLast(); else it.SeekToFirst();
        for (; it.Valid && (count < 0 || result.Count < count); Step(it, reverse))
        {
            if (offset > 0) { offset--; continue; }
            result.Add((it.Key[KvDatabase.ElementPrefixLength..].ToArray(), DecodeScore(it.Value)));
        }
        return result;
    }

    private static void Step(DbIterator it, bool backwards)
    {
        if (backwards) it.Prev(); else it.Next();
    }
}
