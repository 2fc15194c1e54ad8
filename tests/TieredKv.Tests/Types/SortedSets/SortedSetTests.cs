using System.Text;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;
using TieredKv.Types.SortedSets;

namespace TieredKv.Tests.Types.SortedSets;

public sealed class SortedSetTests : IDisposable
{
    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    private KvDatabase Db => _f.Db;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string Str(byte[] b) => Encoding.UTF8.GetString(b);

    private static (string, double)[] P(IEnumerable<(byte[] Member, double Score)> entries) => [.. entries.Select(e => (Str(e.Member), e.Score))];

    private static string[] M(IEnumerable<(byte[] Member, double Score)> entries) => [.. entries.Select(e => Str(e.Member))];

    private long Add(string key, params (double Score, string Member)[] entries) =>
        Db.ZAdd(B(key), [.. entries.Select(e => (e.Score, B(e.Member)))]).Count;

    private static ScoreBound Inc(double v) => new(v);
    private static ScoreBound Exc(double v) => new(v, Exclusive: true);

    /// <summary>A set written through the keyspace core, as the set type stores it: members as sub-keys.</summary>
    private static void MakeSet(KvDatabase db, string key, params string[] members)
    {
        var k = B(key);
        var metadata = db.NewCollection(KeyType.Set) with { Count = members.Length };
        var batch = new WriteBatch();
        foreach (var m in members) batch.Put(KeyCodec.SubKey(db.Index, metadata.Version, B(m)), []);
        using var _ = db.LockKey(k);
        db.Commit(k, null, metadata, batch);
    }

    [Fact]
    public void ZAdd_counts_added_members_and_updates_scores()
    {
        Assert.Equal(2, Add("z", (1, "a"), (2, "b")));
        Assert.Equal(1, Add("z", (5, "a"), (3, "c")));
        Assert.Equal(5, Db.ZScore(B("z"), B("a")));
        Assert.Equal(3, Db.ZCard(B("z")));
        Assert.Equal([("b", 2.0), ("c", 3.0), ("a", 5.0)], P(Db.ZRangeByRank(B("z"), 0, -1)));
    }

    [Fact]
    public void ZAdd_ch_counts_changed_scores_too()
    {
        Add("z", (1, "a"), (2, "b"));
        var r = Db.ZAdd(B("z"), [(1, B("a")), (3, B("b")), (4, B("c"))], new ZAddOptions { Ch = true });
        Assert.Equal(2, r.Count);
    }

    [Fact]
    public void ZAdd_nx_only_adds_and_xx_only_updates()
    {
        Add("z", (1, "a"));
        Assert.Equal(1, Db.ZAdd(B("z"), [(9, B("a")), (2, B("b"))], new ZAddOptions { Nx = true }).Count);
        Assert.Equal(1, Db.ZScore(B("z"), B("a")));
        Assert.Equal(0, Db.ZAdd(B("z"), [(9, B("a")), (3, B("c"))], new ZAddOptions { Xx = true }).Count);
        Assert.Equal(9, Db.ZScore(B("z"), B("a")));
        Assert.Null(Db.ZScore(B("z"), B("c")));
        Assert.Equal(0, Db.ZAdd(B("new"), [(1, B("a"))], new ZAddOptions { Xx = true }).Count);
        Assert.False(Db.Exists(B("new")));
    }

    [Fact]
    public void ZAdd_gt_and_lt_update_only_in_their_direction_but_still_add()
    {
        Add("z", (5, "a"));
        Db.ZAdd(B("z"), [(3, B("a")), (1, B("b"))], new ZAddOptions { Gt = true });
        Assert.Equal(5, Db.ZScore(B("z"), B("a")));
        Assert.Equal(1, Db.ZScore(B("z"), B("b")));
        Db.ZAdd(B("z"), [(7, B("a"))], new ZAddOptions { Gt = true });
        Assert.Equal(7, Db.ZScore(B("z"), B("a")));
        Db.ZAdd(B("z"), [(9, B("a"))], new ZAddOptions { Lt = true });
        Assert.Equal(7, Db.ZScore(B("z"), B("a")));
        Db.ZAdd(B("z"), [(2, B("a"))], new ZAddOptions { Lt = true });
        Assert.Equal(2, Db.ZScore(B("z"), B("a")));
    }

    [Fact]
    public void ZAdd_rejects_incompatible_flags()
    {
        Assert.Equal("ERR XX and NX options at the same time are not compatible",
            Assert.Throws<KvException>(() => Db.ZAdd(B("z"), [(1, B("a"))], new ZAddOptions { Nx = true, Xx = true })).Message);
        Assert.Equal("ERR GT, LT, and/or NX options at the same time are not compatible",
            Assert.Throws<KvException>(() => Db.ZAdd(B("z"), [(1, B("a"))], new ZAddOptions { Gt = true, Lt = true })).Message);
        Assert.Equal("ERR INCR option supports a single increment-element pair",
            Assert.Throws<KvException>(() => Db.ZAdd(B("z"), [(1, B("a")), (2, B("b"))], new ZAddOptions { Incr = true })).Message);
    }

    [Fact]
    public void ZAdd_incr_returns_the_new_score_or_null_when_refused()
    {
        Assert.Equal(2, Db.ZAdd(B("z"), [(2, B("a"))], new ZAddOptions { Incr = true }).Score);
        Assert.Equal(5, Db.ZAdd(B("z"), [(3, B("a"))], new ZAddOptions { Incr = true }).Score);
        Assert.Null(Db.ZAdd(B("z"), [(3, B("a"))], new ZAddOptions { Incr = true, Nx = true }).Score);
        Assert.Null(Db.ZAdd(B("z"), [(-1, B("a"))], new ZAddOptions { Incr = true, Gt = true }).Score);
        Assert.Null(Db.ZAdd(B("z"), [(1, B("b"))], new ZAddOptions { Incr = true, Xx = true }).Score);
        Assert.Equal(5, Db.ZScore(B("z"), B("a")));
    }

    [Fact]
    public void ZIncrBy_producing_nan_is_an_error_and_changes_nothing()
    {
        Db.ZIncrBy(B("z"), double.PositiveInfinity, B("a"));
        Assert.Equal("ERR resulting score is not a number (NaN)",
            Assert.Throws<KvException>(() => Db.ZIncrBy(B("z"), double.NegativeInfinity, B("a"))).Message);
        Assert.Equal(double.PositiveInfinity, Db.ZScore(B("z"), B("a")));
        Assert.Equal(1.5, Db.ZIncrBy(B("z"), 1.5, B("b")));
    }

    [Fact]
    public void ZAdd_same_member_twice_in_one_call_keeps_the_last_score()
    {
        Assert.Equal(1, Add("z", (1, "a"), (2, "a")));
        Assert.Equal(1, Db.ZCard(B("z")));
        Assert.Equal([("a", 2.0)], P(Db.ZRangeByScore(B("z"), ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity)));
    }

    [Fact]
    public void Negative_zero_equals_zero()
    {
        Add("z", (-0.0, "a"));
        Assert.Equal(0, Db.ZAdd(B("z"), [(0.0, B("a"))], new ZAddOptions { Ch = true }).Count);
        Assert.Equal(1, Db.ZCount(B("z"), Inc(0), Inc(0)));
        Assert.Equal(0, Db.ZCount(B("z"), Exc(-0.0), ScoreBound.PositiveInfinity));
    }

    [Fact]
    public void Equal_scores_order_by_member_bytes()
    {
        Add("z", (1, "c"), (1, "a"), (1, "b"), (0, "z"));
        Assert.Equal(["z", "a", "b", "c"], M(Db.ZRangeByRank(B("z"), 0, -1)));
        Assert.Equal(["c", "b", "a", "z"], M(Db.ZRangeByRank(B("z"), 0, -1, reverse: true)));
    }

    [Fact]
    public void ZRem_removes_and_the_last_removal_deletes_the_key()
    {
        Add("z", (1, "a"), (2, "b"));
        Assert.Equal(1, Db.ZRem(B("z"), [B("a"), B("a"), B("x")]));
        Assert.Equal(1, Db.ZCard(B("z")));
        Assert.Equal(1, Db.ZRem(B("z"), [B("b")]));
        Assert.False(Db.Exists(B("z")));
        Assert.Equal(0, Db.DbSize());
        Assert.Empty(Db.ZRangeByScore(B("z"), ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
    }

    [Fact]
    public void ZMScore_returns_null_for_absent_members()
    {
        Add("z", (1, "a"));
        Assert.Equal([1.0, null], Db.ZMScore(B("z"), [B("a"), B("b")]));
        Assert.Equal([null], Db.ZMScore(B("missing"), [B("a")]));
    }

    [Fact]
    public void ZRank_and_ZRevRank()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"));
        Assert.Equal(0, Db.ZRank(B("z"), B("a")));
        Assert.Equal(2, Db.ZRank(B("z"), B("c")));
        Assert.Equal(0, Db.ZRevRank(B("z"), B("c")));
        Assert.Null(Db.ZRank(B("z"), B("x")));
        Assert.Null(Db.ZRevRank(B("missing"), B("x")));
    }

    [Fact]
    public void ZRank_IsExactAtEveryPosition_WithTiedScores()
    {
        // Ranks are found walking from both ends: members near either end, the middle and ties all count right.
        var entries = Enumerable.Range(0, 101).Select(i => ((double)(i / 4), B($"m{i:D3}"))).ToList();
        Db.ZAdd(B("z"), entries);
        for (int i = 0; i < entries.Count; i++)
        {
            Assert.Equal(i, Db.ZRank(B("z"), B($"m{i:D3}")));
            Assert.Equal(entries.Count - 1 - i, Db.ZRevRank(B("z"), B($"m{i:D3}")));
        }
    }

    [Fact]
    public void ZCount_honours_exclusive_bounds()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"));
        Assert.Equal(3, Db.ZCount(B("z"), ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
        Assert.Equal(2, Db.ZCount(B("z"), Exc(1), Inc(3)));
        Assert.Equal(1, Db.ZCount(B("z"), Exc(1), Exc(3)));
        Assert.Equal(0, Db.ZCount(B("z"), Inc(3), Inc(1)));
    }

    [Fact]
    public void ZRangeByRank_follows_redis_index_rules()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"), (4, "d"));
        Assert.Equal(["b", "c"], M(Db.ZRangeByRank(B("z"), 1, 2)));
        Assert.Equal(["c", "d"], M(Db.ZRangeByRank(B("z"), -2, 100)));
        Assert.Equal(["d", "c"], M(Db.ZRangeByRank(B("z"), 0, 1, reverse: true)));
        Assert.Equal(["b", "a"], M(Db.ZRangeByRank(B("z"), 2, 3, reverse: true)));
        Assert.Empty(Db.ZRangeByRank(B("z"), 3, 1));
    }

    [Fact]
    public void ZRangeByScore_with_limit_and_reverse()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"), (4, "d"));
        Assert.Equal(["b", "c", "d"], M(Db.ZRangeByScore(B("z"), Exc(1), ScoreBound.PositiveInfinity)));
        Assert.Equal(["c"], M(Db.ZRangeByScore(B("z"), Exc(1), ScoreBound.PositiveInfinity, offset: 1, count: 1)));
        Assert.Equal(["d", "c", "b"], M(Db.ZRangeByScore(B("z"), Inc(2), Inc(4), reverse: true)));
        Assert.Equal(["c", "b"], M(Db.ZRangeByScore(B("z"), Inc(2), Inc(4), reverse: true, offset: 1, count: 5)));
        Assert.Empty(Db.ZRangeByScore(B("z"), Inc(2), Inc(4), count: 0));
        Assert.Empty(Db.ZRangeByScore(B("z"), Inc(2), Inc(4), offset: -1));
    }

    [Fact]
    public void Lex_ranges_count_range_and_remove()
    {
        Add("z", (0, "a"), (0, "b"), (0, "c"), (0, "d"), (0, "e"));
        Assert.Equal(5, Db.ZLexCount(B("z"), LexBound.Min, LexBound.Max));
        Assert.Equal(2, Db.ZLexCount(B("z"), LexBound.Parse(B("(b")), LexBound.Parse(B("[d"))));
        Assert.Equal(["b", "c"], M(Db.ZRangeByLex(B("z"), LexBound.Parse(B("[b")), LexBound.Parse(B("(d")))));
        Assert.Equal(["e", "d"], M(Db.ZRangeByLex(B("z"), LexBound.Parse(B("[c")), LexBound.Max, reverse: true, offset: 0, count: 2)));
        Assert.Empty(Db.ZRangeByLex(B("z"), LexBound.Max, LexBound.Min));
        Assert.Equal(2, Db.ZRemRangeByLex(B("z"), LexBound.Min, LexBound.Parse(B("(c"))));
        Assert.Equal(["c", "d", "e"], M(Db.ZRangeByRank(B("z"), 0, -1)));
    }

    [Fact]
    public void LexBound_parse_rejects_other_syntax()
    {
        Assert.Equal("ERR min or max not valid string range item", Assert.Throws<KvException>(() => LexBound.Parse(B("b"))).Message);
    }

    [Fact]
    public void ZRemRangeByRank_and_ByScore()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"), (4, "d"));
        Assert.Equal(2, Db.ZRemRangeByRank(B("z"), 0, 1));
        Assert.Equal(["c", "d"], M(Db.ZRangeByRank(B("z"), 0, -1)));
        Assert.Equal(1, Db.ZRemRangeByScore(B("z"), Exc(3), ScoreBound.PositiveInfinity));
        Assert.Equal(1, Db.ZRemRangeByScore(B("z"), ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
        Assert.False(Db.Exists(B("z")));
    }

    [Fact]
    public void ZPopMin_and_ZPopMax()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"));
        Assert.Equal([("a", 1.0)], P(Db.ZPopMin(B("z"))));
        Assert.Equal([("c", 3.0), ("b", 2.0)], P(Db.ZPopMax(B("z"), 5)));
        Assert.False(Db.Exists(B("z")));
        Assert.Empty(Db.ZPopMin(B("z")));
    }

    [Fact]
    public void ZRandMember_distinct_and_repeating()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"));
        Assert.Contains(Str(Db.ZRandMember(B("z"))!), new[] { "a", "b", "c" });
        var two = Db.ZRandMember(B("z"), 2);
        Assert.Equal(2, M(two).Distinct().Count());
        Assert.Equal(3, Db.ZRandMember(B("z"), 10).Count);
        var many = Db.ZRandMember(B("z"), -20);
        Assert.Equal(20, many.Count);
        Assert.All(many, e => Assert.Equal(Db.ZScore(B("z"), e.Member), e.Score));
        Assert.Null(Db.ZRandMember(B("missing")));
    }

    [Fact]
    public void ZScan_visits_every_member_once()
    {
        for (int i = 0; i < 50; i++) Add("z", (i, "m" + i));
        var seen = new List<string>();
        ulong cursor = 0;
        do
        {
            var page = Db.ZScan(B("z"), cursor, count: 7);
            seen.AddRange(M(page.Entries));
            cursor = page.Cursor;
        } while (cursor != 0);
        Assert.Equal(50, seen.Count);
        Assert.Equal(50, seen.Distinct().Count());
        Assert.Equal(["m10", "m11", "m12"], M(Db.ZScan(B("z"), 0, B("m1?"), count: 100).Entries).Take(3));
    }

    [Fact]
    public void ZUnionStore_with_weights_and_aggregates_accepts_sets()
    {
        Add("a", (1, "x"), (2, "y"));
        Add("b", (10, "y"), (20, "z"));
        MakeSet(Db, "s", "x", "w");
        Assert.Equal(4, Db.ZUnionStore(B("d"), [B("a"), B("b"), B("s")], [1, 2, 3]));
        Assert.Equal([("w", 3.0), ("x", 4.0), ("y", 22.0), ("z", 40.0)], P(Db.ZRangeByRank(B("d"), 0, -1)));
        Assert.Equal([("x", 1.0), ("y", 2.0), ("z", 20.0)], P(Db.ZUnion([B("a"), B("b")], aggregate: ZAggregate.Min)));
        Assert.Equal([("x", 1.0), ("y", 10.0), ("z", 20.0)], P(Db.ZUnion([B("a"), B("b")], aggregate: ZAggregate.Max)));
    }

    [Fact]
    public void ZInterStore_and_ZInterCard()
    {
        Add("a", (1, "x"), (2, "y"), (3, "v"));
        Add("b", (10, "y"), (20, "z"), (30, "v"));
        Assert.Equal(2, Db.ZInterStore(B("d"), [B("a"), B("b")]));
        Assert.Equal([("y", 12.0), ("v", 33.0)], P(Db.ZRangeByRank(B("d"), 0, -1)));
        Assert.Equal(2, Db.ZInterCard([B("a"), B("b")]));
        Assert.Equal(1, Db.ZInterCard([B("a"), B("b")], limit: 1));
        Assert.Equal(0, Db.ZInterCard([B("a"), B("missing")]));
        Assert.Equal("ERR LIMIT can't be negative", Assert.Throws<KvException>(() => Db.ZInterCard([B("a")], -1)).Message);
    }

    [Fact]
    public void ZDiffStore_keeps_first_source_scores()
    {
        Add("a", (1, "x"), (2, "y"), (3, "v"));
        MakeSet(Db, "s", "y");
        Assert.Equal(2, Db.ZDiffStore(B("d"), [B("a"), B("s"), B("missing")]));
        Assert.Equal([("x", 1.0), ("v", 3.0)], P(Db.ZRangeByRank(B("d"), 0, -1)));
        Assert.Equal([("x", 1.0), ("v", 3.0)], P(Db.ZDiff([B("a"), B("s")])));
    }

    [Fact]
    public void Store_with_an_empty_result_deletes_the_destination_of_any_type()
    {
        Db.Set(B("d"), B("string"));
        Add("a", (1, "x"));
        Assert.Equal(0, Db.ZInterStore(B("d"), [B("a"), B("missing")]));
        Assert.False(Db.Exists(B("d")));
        Db.Set(B("d"), B("string"));
        Assert.Equal(1, Db.ZUnionStore(B("d"), [B("a")]));
        Assert.Equal(KeyType.SortedSet, Db.Type(B("d")));
        Assert.Equal(2, Db.DbSize());
    }

    [Fact]
    public void Store_may_name_a_source_as_destination()
    {
        Add("a", (1, "x"), (2, "y"));
        Add("b", (5, "y"));
        Assert.Equal(2, Db.ZUnionStore(B("a"), [B("a"), B("b")]));
        Assert.Equal([("x", 1.0), ("y", 7.0)], P(Db.ZRangeByRank(B("a"), 0, -1)));
        _f.Store.Engine.CompactRange();
        Assert.Equal(2, Db.ZCount(B("a"), ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
    }

    [Fact]
    public void ZRangeStore_by_rank_score_and_lex()
    {
        Add("z", (1, "a"), (2, "b"), (3, "c"));
        Assert.Equal(2, Db.ZRangeStore(B("d"), B("z"), 0, 1, reverse: true));
        Assert.Equal(["b", "c"], M(Db.ZRangeByRank(B("d"), 0, -1)));
        Assert.Equal(1, Db.ZRangeStore(B("d"), B("z"), Exc(2), ScoreBound.PositiveInfinity));
        Assert.Equal([("c", 3.0)], P(Db.ZRangeByRank(B("d"), 0, -1)));
        Assert.Equal(2, Db.ZRangeStore(B("d"), B("z"), LexBound.Min, LexBound.Parse(B("[b"))));
        Assert.Equal(0, Db.ZRangeStore(B("d"), B("missing"), 0, -1));
        Assert.False(Db.Exists(B("d")));
    }

    [Fact]
    public void Combining_a_string_source_is_wrongtype()
    {
        Db.Set(B("s"), B("v"));
        Add("a", (1, "x"));
        Assert.Throws<WrongTypeException>(() => Db.ZUnionStore(B("d"), [B("a"), B("s")]));
        Assert.Throws<WrongTypeException>(() => Db.ZInter([B("missing"), B("s")]));
        Assert.Throws<WrongTypeException>(() => Db.ZDiff([B("a"), B("s")]));
        MakeSet(Db, "set", "x");
        Assert.Throws<WrongTypeException>(() => Db.ZRangeStore(B("d"), B("set"), 0, -1));
        Assert.False(Db.Exists(B("d")));
    }

    [Fact]
    public void Operations_on_a_list_key_are_wrongtype()
    {
        Db.RPush(B("l"), [B("a")]);
        var k = B("l");
        Assert.Throws<WrongTypeException>(() => Db.ZAdd(k, [(1, B("a"))]));
        Assert.Throws<WrongTypeException>(() => Db.ZAdd(k, [(1, B("a"))], new ZAddOptions { Xx = true }));
        Assert.Throws<WrongTypeException>(() => Db.ZIncrBy(k, 1, B("a")));
        Assert.Throws<WrongTypeException>(() => Db.ZRem(k, [B("a")]));
        Assert.Throws<WrongTypeException>(() => Db.ZCard(k));
        Assert.Throws<WrongTypeException>(() => Db.ZScore(k, B("a")));
        Assert.Throws<WrongTypeException>(() => Db.ZMScore(k, [B("a")]));
        Assert.Throws<WrongTypeException>(() => Db.ZRank(k, B("a")));
        Assert.Throws<WrongTypeException>(() => Db.ZCount(k, ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
        Assert.Throws<WrongTypeException>(() => Db.ZLexCount(k, LexBound.Min, LexBound.Max));
        Assert.Throws<WrongTypeException>(() => Db.ZRangeByRank(k, 0, -1));
        Assert.Throws<WrongTypeException>(() => Db.ZRemRangeByScore(k, ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity));
        Assert.Throws<WrongTypeException>(() => Db.ZPopMin(k));
        Assert.Throws<WrongTypeException>(() => Db.ZRandMember(k));
        Assert.Throws<WrongTypeException>(() => Db.ZScan(k, 0));
        Assert.Equal(1, Db.LLen(k));
    }

    [Fact]
    public void Sorted_set_survives_reopen()
    {
        Add("z", (2, "b"), (1, "a"));
        _f.Reopen();
        Assert.Equal([("a", 1.0), ("b", 2.0)], P(Db.ZRangeByRank(B("z"), 0, -1)));
        Assert.Equal(2, Db.ZScore(B("z"), B("b")));
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void Delete_then_recreate_does_not_resurrect_old_members()
    {
        Add("z", (1, "a"), (2, "b"));
        Db.Delete(B("z"));
        Add("z", (3, "c"));
        Assert.Null(Db.ZScore(B("z"), B("a")));
        Assert.Equal(["c"], M(Db.ZRangeByScore(B("z"), ScoreBound.NegativeInfinity, ScoreBound.PositiveInfinity)));
        _f.Store.Engine.CompactRange();
        Assert.Equal(1, Db.ZCard(B("z")));
        Assert.Equal(["c"], M(Db.ZRangeByRank(B("z"), 0, -1)));
    }

    [Fact]
    public void Model_random_operations_match_an_in_memory_sorted_set()
    {
        using var fixture = new StoreFixture(o => o with { MaxMemoryBytes = 4096 });
        var rng = new Random(4321);
        var model = new Dictionary<string, SortedDictionary<string, double>>();
        string[] keys = ["z0", "z1", "z2"];
        string Member() => "m" + rng.Next(40).ToString("D2");
        double Score() => rng.Next(8) switch { 0 => double.NegativeInfinity, 1 => double.PositiveInfinity, 2 => -0.0, _ => rng.Next(-5, 6) / 2.0 };

        List<(string, double)> Ordered(string k) => model.TryGetValue(k, out var z)
            ? [.. z.Select(p => (p.Key, p.Value)).OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)]
            : [];

        void Check()
        {
            var db = fixture.Db;
            foreach (var k in keys)
            {
                var expected = Ordered(k);
                Assert.Equal(expected, P(db.ZRangeByRank(B(k), 0, -1)));
                Assert.Equal(expected.Count, db.ZCard(B(k)));
                foreach (var (m, s) in expected) Assert.Equal(s, db.ZScore(B(k), B(m)));
            }
            Assert.Equal(model.Count(p => p.Value.Count > 0), db.DbSize());
        }

        for (int step = 0; step < 3000; step++)
        {
            var db = fixture.Db;
            string k = keys[rng.Next(keys.Length)];
            if (!model.TryGetValue(k, out var z)) model[k] = z = new(StringComparer.Ordinal);
            switch (rng.Next(10))
            {
                case 0:
                case 1:
                    {
                        var entries = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => (Score(), Member())).ToList();
                        long added = db.ZAdd(B(k), [.. entries.Select(e => (e.Item1, B(e.Item2)))]).Count;
                        long expected = 0;
                        foreach (var (s, m) in entries)
                        {
                            if (!z.ContainsKey(m)) expected++;
                            z[m] = s == 0 ? 0 : s;
                        }
                        Assert.Equal(expected, added);
                        break;
                    }
                case 2:
                    {
                        var m = Member();
                        double inc = rng.Next(-3, 4);
                        double got = db.ZIncrBy(B(k), inc, B(m));
                        z[m] = (z.TryGetValue(m, out var cur) ? cur : 0) + inc;
                        if (z[m] == 0) z[m] = 0;
                        Assert.Equal(z[m], got);
                        break;
                    }
                case 3:
                    {
                        var ms = new[] { Member(), Member() }.Distinct().ToArray();
                        long removed = db.ZRem(B(k), [.. ms.Select(B)]);
                        Assert.Equal(ms.Count(m => z.Remove(m)), removed);
                        break;
                    }
                case 4:
                    {
                        double lo = rng.Next(-6, 6) / 2.0, hi = rng.Next(-6, 6) / 2.0;
                        bool exLo = rng.Next(2) == 0, exHi = rng.Next(2) == 0, rev = rng.Next(2) == 0;
                        int offset = rng.Next(3), count = rng.Next(-1, 5);
                        var inRange = Ordered(k).Where(p => (exLo ? p.Item2 > lo : p.Item2 >= lo) && (exHi ? p.Item2 < hi : p.Item2 <= hi)).ToList();
                        Assert.Equal(inRange.Count, db.ZCount(B(k), new(lo, exLo), new(hi, exHi)));
                        if (rev) inRange.Reverse();
                        var expected = inRange.Skip(offset).Take(count < 0 ? int.MaxValue : count);
                        Assert.Equal(expected, P(db.ZRangeByScore(B(k), new(lo, exLo), new(hi, exHi), rev, offset, count)));
                        break;
                    }
                case 5:
                    {
                        var m = Member();
                        var ordered = Ordered(k);
                        int rank = ordered.FindIndex(p => p.Item1 == m);
                        Assert.Equal(rank < 0 ? null : rank, db.ZRank(B(k), B(m)));
                        Assert.Equal(rank < 0 ? null : ordered.Count - 1 - rank, db.ZRevRank(B(k), B(m)));
                        break;
                    }
                case 6:
                    {
                        long start = rng.Next(-8, 8), stop = rng.Next(-8, 40);
                        bool rev = rng.Next(2) == 0;
                        var ordered = Ordered(k);
                        if (rev) ordered.Reverse();
                        long s = start, e = stop;
                        var expected = KvDatabase.ClampRange(ordered.Count, ref s, ref e) ? ordered.GetRange((int)s, (int)(e - s + 1)) : [];
                        Assert.Equal(expected, P(db.ZRangeByRank(B(k), start, stop, rev)));
                        if (!rev && rng.Next(4) == 0)
                        {
                            Assert.Equal(expected.Count, db.ZRemRangeByRank(B(k), start, stop));
                            foreach (var (m, _) in expected) z.Remove(m);
                        }
                        break;
                    }
                case 7:
                    {
                        int n = rng.Next(0, 3);
                        bool max = rng.Next(2) == 0;
                        var ordered = Ordered(k);
                        if (max) ordered.Reverse();
                        var expected = ordered.Take(n).ToList();
                        Assert.Equal(expected, P(max ? db.ZPopMax(B(k), n) : db.ZPopMin(B(k), n)));
                        foreach (var (m, _) in expected) z.Remove(m);
                        break;
                    }
                case 8:
                    {
                        string other = keys[rng.Next(keys.Length)], dst = keys[rng.Next(keys.Length)];
                        var a = model.GetValueOrDefault(k) ?? [];
                        var b = model.GetValueOrDefault(other) ?? [];
                        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
                        if (rng.Next(2) == 0)
                        {
                            foreach (var (m, s) in a) result[m] = s;
                            foreach (var (m, s) in b) result[m] = result.TryGetValue(m, out var c) ? Math.Max(c, s) : s;
                            Assert.Equal(result.Count, db.ZUnionStore(B(dst), [B(k), B(other)], null, ZAggregate.Max));
                        }
                        else
                        {
                            foreach (var (m, s) in a) if (!b.ContainsKey(m)) result[m] = s;
                            Assert.Equal(result.Count, db.ZDiffStore(B(dst), [B(k), B(other)]));
                        }
                        model[dst] = result;
                        break;
                    }
                default:
                    if (rng.Next(8) == 0) { db.Delete(B(k)); z.Clear(); }
                    else
                    {
                        var lo = LexBound.Inclusive(B(Member()));
                        var hi = LexBound.Exclusive(B(Member()));
                        var expected = z.Keys.Where(m => lo.AllowsAsMin(B(m)) && hi.AllowsAsMax(B(m))).ToList();
                        Assert.Equal(expected.Count, db.ZLexCount(B(k), lo, hi));
                        Assert.Equal(expected, M(db.ZRangeByLex(B(k), lo, hi)));
                    }
                    break;
            }
            if (step % 250 == 0) Check();
            if (step % 1000 == 999) fixture.Reopen();
            if (step % 700 == 699) fixture.Store.Engine.CompactRange();
        }
        Check();
        fixture.Reopen();
        Check();
    }
}
