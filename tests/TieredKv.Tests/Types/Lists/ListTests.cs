using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests.Types.Lists;

public sealed class ListTests : IDisposable
{
    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    private KvDatabase Db => _f.Db;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string[] S(IEnumerable<byte[]> values) => [.. values.Select(v => Encoding.UTF8.GetString(v))];

    private static byte[][] Bs(params string[] values) => [.. values.Select(B)];

    private string[] All(string key) => S(Db.LRange(B(key), 0, -1));

    [Fact]
    public void RPush_appends_and_returns_length()
    {
        Assert.Equal(2, Db.RPush(B("l"), Bs("a", "b")));
        Assert.Equal(3, Db.RPush(B("l"), Bs("c")));
        Assert.Equal(["a", "b", "c"], All("l"));
    }

    [Fact]
    public void LPush_prepends_each_value_in_turn()
    {
        Db.LPush(B("l"), Bs("a", "b", "c"));
        Assert.Equal(["c", "b", "a"], All("l"));
    }

    [Fact]
    public void PushX_does_nothing_on_a_missing_key()
    {
        Assert.Equal(0, Db.LPushX(B("l"), Bs("a")));
        Assert.Equal(0, Db.RPushX(B("l"), Bs("a")));
        Assert.False(Db.Exists(B("l")));
        Db.RPush(B("l"), Bs("x"));
        Assert.Equal(2, Db.RPushX(B("l"), Bs("y")));
        Assert.Equal(3, Db.LPushX(B("l"), Bs("w")));
        Assert.Equal(["w", "x", "y"], All("l"));
    }

    [Fact]
    public void Pops_take_from_each_end_and_the_last_pop_deletes_the_key()
    {
        Db.RPush(B("l"), Bs("a", "b", "c"));
        Assert.Equal("a", Encoding.UTF8.GetString(Db.LPop(B("l"))!));
        Assert.Equal("c", Encoding.UTF8.GetString(Db.RPop(B("l"))!));
        Assert.Equal("b", Encoding.UTF8.GetString(Db.LPop(B("l"))!));
        Assert.False(Db.Exists(B("l")));
        Assert.Equal(0, Db.DbSize());
        Assert.Null(Db.LPop(B("l")));
    }

    [Fact]
    public void Pop_with_count_returns_up_to_count_and_null_for_a_missing_key()
    {
        Db.RPush(B("l"), Bs("a", "b", "c", "d"));
        Assert.Equal(["a", "b"], S(Db.LPop(B("l"), 2)!));
        Assert.Equal(["d", "c"], S(Db.RPop(B("l"), 5)!));
        Assert.False(Db.Exists(B("l")));
        Assert.Null(Db.LPop(B("l"), 2));
        Db.RPush(B("l"), Bs("a"));
        Assert.Empty(Db.LPop(B("l"), 0)!);
        Assert.Equal(1, Db.LLen(B("l")));
    }

    [Fact]
    public void LIndex_supports_negative_indexes()
    {
        Db.RPush(B("l"), Bs("a", "b", "c"));
        Assert.Equal("a", Encoding.UTF8.GetString(Db.LIndex(B("l"), 0)!));
        Assert.Equal("c", Encoding.UTF8.GetString(Db.LIndex(B("l"), -1)!));
        Assert.Null(Db.LIndex(B("l"), 3));
        Assert.Null(Db.LIndex(B("l"), -4));
        Assert.Null(Db.LIndex(B("missing"), 0));
    }

    [Fact]
    public void LRange_follows_redis_index_rules()
    {
        Db.RPush(B("l"), Bs("a", "b", "c", "d", "e"));
        Assert.Equal(["b", "c"], S(Db.LRange(B("l"), 1, 2)));
        Assert.Equal(["d", "e"], S(Db.LRange(B("l"), -2, 100)));
        Assert.Equal(["a", "b"], S(Db.LRange(B("l"), -100, 1)));
        Assert.Empty(Db.LRange(B("l"), 3, 1));
        Assert.Empty(Db.LRange(B("l"), 5, 10));
        Assert.Empty(Db.LRange(B("missing"), 0, -1));
    }

    [Fact]
    public void LSet_replaces_and_reports_errors()
    {
        Assert.Equal("ERR no such key", Assert.Throws<KvException>(() => Db.LSet(B("l"), 0, B("x"))).Message);
        Db.RPush(B("l"), Bs("a", "b"));
        Db.LSet(B("l"), -1, B("z"));
        Assert.Equal(["a", "z"], All("l"));
        Assert.Equal("ERR index out of range", Assert.Throws<KvException>(() => Db.LSet(B("l"), 2, B("x"))).Message);
    }

    [Fact]
    public void LInsert_before_and_after_the_first_pivot()
    {
        Assert.Equal(0, Db.LInsert(B("l"), true, B("a"), B("x")));
        Db.RPush(B("l"), Bs("a", "b", "c", "b"));
        Assert.Equal(5, Db.LInsert(B("l"), true, B("b"), B("x")));
        Assert.Equal(6, Db.LInsert(B("l"), false, B("b"), B("y")));
        Assert.Equal(7, Db.LInsert(B("l"), false, B("b"), B("z")));
        Assert.Equal(-1, Db.LInsert(B("l"), false, B("nope"), B("z")));
        Assert.Equal(["a", "x", "b", "z", "y", "c", "b"], All("l"));
        Assert.Equal(8, Db.LInsert(B("l"), false, B("b"), B("end"))); // near the tail: shifts the tail
        Assert.Equal(["a", "x", "b", "end", "z", "y", "c", "b"], All("l"));
    }

    [Fact]
    public void LRem_with_long_min_count_removes_every_match()
    {
        Db.RPush(B("l"), Bs("x", "a", "x", "x"));
        Assert.Equal(3, Db.LRem(B("l"), long.MinValue, B("x")));
        Assert.Equal(["a"], All("l"));
    }

    [Fact]
    public void LRem_removes_from_head_tail_or_all()
    {
        Db.RPush(B("l"), Bs("a", "x", "b", "x", "c", "x"));
        Assert.Equal(1, Db.LRem(B("l"), 1, B("x")));
        Assert.Equal(["a", "b", "x", "c", "x"], All("l"));
        Assert.Equal(1, Db.LRem(B("l"), -1, B("x")));
        Assert.Equal(["a", "b", "x", "c"], All("l"));
        Db.RPush(B("l"), Bs("x"));
        Assert.Equal(2, Db.LRem(B("l"), 0, B("x")));
        Assert.Equal(["a", "b", "c"], All("l"));
        Assert.Equal(0, Db.LRem(B("l"), 0, B("x")));
    }

    [Fact]
    public void LRem_of_every_element_deletes_the_key()
    {
        Db.RPush(B("l"), Bs("x", "x"));
        Assert.Equal(2, Db.LRem(B("l"), 0, B("x")));
        Assert.False(Db.Exists(B("l")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void LTrim_keeps_the_range_and_an_empty_range_deletes_the_key()
    {
        Db.RPush(B("l"), Bs("a", "b", "c", "d", "e"));
        Db.LTrim(B("l"), 1, -2);
        Assert.Equal(["b", "c", "d"], All("l"));
        Assert.Equal("b", Encoding.UTF8.GetString(Db.LIndex(B("l"), 0)!));
        Db.LTrim(B("l"), 5, 10);
        Assert.False(Db.Exists(B("l")));
    }

    [Fact]
    public void LPos_finds_by_rank_count_and_maxlen()
    {
        Db.RPush(B("l"), Bs("a", "b", "c", "1", "2", "3", "c", "c"));
        Assert.Equal([2L], Db.LPos(B("l"), B("c")));
        Assert.Equal([6L], Db.LPos(B("l"), B("c"), rank: 2));
        Assert.Equal([7L], Db.LPos(B("l"), B("c"), rank: -1));
        Assert.Equal([6L, 2L], Db.LPos(B("l"), B("c"), rank: -2, count: 0));
        Assert.Equal([2L, 6L], Db.LPos(B("l"), B("c"), count: 2));
        Assert.Equal([2L, 6L, 7L], Db.LPos(B("l"), B("c"), count: 0));
        Assert.Empty(Db.LPos(B("l"), B("c"), count: 0, maxLen: 2));
        Assert.Equal([2L], Db.LPos(B("l"), B("c"), count: 0, maxLen: 3));
        Assert.Empty(Db.LPos(B("l"), B("zz")));
        Assert.Empty(Db.LPos(B("missing"), B("c")));
    }

    [Fact]
    public void LPos_rejects_rank_zero_and_negative_count_or_maxlen()
    {
        Db.RPush(B("l"), Bs("a"));
        Assert.Equal("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
            Assert.Throws<KvException>(() => Db.LPos(B("l"), B("a"), rank: 0)).Message);
        Assert.Equal("ERR COUNT can't be negative", Assert.Throws<KvException>(() => Db.LPos(B("l"), B("a"), count: -1)).Message);
        Assert.Equal("ERR MAXLEN can't be negative", Assert.Throws<KvException>(() => Db.LPos(B("l"), B("a"), maxLen: -1)).Message);
    }

    [Fact]
    public void LMove_moves_between_lists_and_creates_the_destination()
    {
        Db.RPush(B("src"), Bs("a", "b", "c"));
        Assert.Equal("c", Encoding.UTF8.GetString(Db.LMove(B("src"), B("dst"), fromLeft: false, toLeft: true)!));
        Assert.Equal("a", Encoding.UTF8.GetString(Db.LMove(B("src"), B("dst"), fromLeft: true, toLeft: false)!));
        Assert.Equal(["b"], All("src"));
        Assert.Equal(["c", "a"], All("dst"));
        Db.LMove(B("src"), B("dst"), true, true);
        Assert.False(Db.Exists(B("src")));
        Assert.Equal(["b", "c", "a"], All("dst"));
        Assert.Equal(1, Db.DbSize());
        Assert.Null(Db.LMove(B("src"), B("dst"), true, true));
    }

    [Fact]
    public void LMove_on_one_key_rotates()
    {
        Db.RPush(B("l"), Bs("a", "b", "c"));
        Db.LMove(B("l"), B("l"), fromLeft: true, toLeft: false);
        Assert.Equal(["b", "c", "a"], All("l"));
        Db.LMove(B("l"), B("l"), fromLeft: false, toLeft: true);
        Assert.Equal(["a", "b", "c"], All("l"));
        Db.RPush(B("one"), Bs("x"));
        Assert.Equal("x", Encoding.UTF8.GetString(Db.LMove(B("one"), B("one"), true, true)!));
        Assert.Equal(["x"], All("one"));
    }

    [Fact]
    public void LMove_checks_the_destination_type_only_when_the_source_has_elements()
    {
        Db.Set(B("str"), B("v"));
        Assert.Null(Db.LMove(B("missing"), B("str"), true, true));
        Db.RPush(B("l"), Bs("a"));
        Assert.Throws<WrongTypeException>(() => Db.LMove(B("l"), B("str"), true, true));
        Assert.Equal(["a"], All("l"));
    }

    [Fact]
    public void Operations_on_a_string_key_are_wrongtype()
    {
        Db.Set(B("s"), B("v"));
        var k = B("s");
        Assert.Throws<WrongTypeException>(() => Db.LPush(k, Bs("a")));
        Assert.Throws<WrongTypeException>(() => Db.RPushX(k, Bs("a")));
        Assert.Throws<WrongTypeException>(() => Db.LPop(k));
        Assert.Throws<WrongTypeException>(() => Db.LLen(k));
        Assert.Throws<WrongTypeException>(() => Db.LIndex(k, 0));
        Assert.Throws<WrongTypeException>(() => Db.LRange(k, 0, -1));
        Assert.Throws<WrongTypeException>(() => Db.LSet(k, 0, B("x")));
        Assert.Throws<WrongTypeException>(() => Db.LInsert(k, true, B("a"), B("b")));
        Assert.Throws<WrongTypeException>(() => Db.LRem(k, 0, B("a")));
        Assert.Throws<WrongTypeException>(() => Db.LTrim(k, 0, 1));
        Assert.Throws<WrongTypeException>(() => Db.LPos(k, B("a")));
        Assert.Throws<WrongTypeException>(() => Db.LMove(k, B("d"), true, true));
        Assert.Equal(B("v"), Db.Get(k));
    }

    [Fact]
    public void List_survives_reopen()
    {
        Db.RPush(B("l"), Bs("a", "b"));
        Db.LPush(B("l"), Bs("z"));
        _f.Reopen();
        Assert.Equal(["z", "a", "b"], All("l"));
        Assert.Equal(3, Db.LLen(B("l")));
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void Delete_then_recreate_does_not_resurrect_old_elements()
    {
        Db.RPush(B("l"), Bs("a", "b", "c"));
        Db.Delete(B("l"));
        Db.RPush(B("l"), Bs("x"));
        Assert.Equal(["x"], All("l"));
        Assert.Null(Db.LIndex(B("l"), 1));
        _f.Store.Engine.CompactRange();
        Assert.Equal(["x"], All("l"));
    }

    [Fact]
    public void List_keeps_its_expiry_across_pushes()
    {
        Db.RPush(B("l"), Bs("a"));
        Db.Expire(B("l"), TimeSpan.FromSeconds(10));
        Db.RPush(B("l"), Bs("b"));
        _f.Clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, Db.LLen(B("l")));
        Assert.Equal(1, Db.RPush(B("l"), Bs("c")));
        Assert.Equal(["c"], All("l"));
    }

    [Fact]
    public void Model_random_operations_match_an_in_memory_list()
    {
        using var fixture = new StoreFixture(o => o with { MaxMemoryBytes = 4096 });
        var rng = new Random(1234);
        var model = new Dictionary<string, List<string>>();
        string[] keys = ["k0", "k1", "k2"];
        string V() => "v" + rng.Next(12);

        void Check()
        {
            var db = fixture.Db;
            foreach (var k in keys)
            {
                var expected = model.TryGetValue(k, out var l) ? l : [];
                Assert.Equal(expected, S(db.LRange(B(k), 0, -1)));
                Assert.Equal(expected.Count, db.LLen(B(k)));
                if (expected.Count > 0) Assert.Equal(expected[^1], Encoding.UTF8.GetString(db.LIndex(B(k), -1)!));
            }
            Assert.Equal(model.Count(p => p.Value.Count > 0), db.DbSize());
        }

        for (int step = 0; step < 3000; step++)
        {
            var db = fixture.Db;
            string k = keys[rng.Next(keys.Length)];
            if (!model.TryGetValue(k, out var list)) model[k] = list = [];
            switch (rng.Next(12))
            {
                case 0:
                    { var vs = new[] { V(), V() }; db.LPush(B(k), Bs(vs)); list.InsertRange(0, vs.Reverse()); break; }
                case 1:
                    { var vs = new[] { V(), V(), V() }; db.RPush(B(k), Bs(vs)); list.AddRange(vs); break; }
                case 2:
                    {
                        int n = rng.Next(3);
                        var got = db.LPop(B(k), n);
                        if (list.Count == 0) Assert.Null(got);
                        else { Assert.Equal(list.Take(n), S(got!)); list.RemoveRange(0, Math.Min(n, list.Count)); }
                        break;
                    }
                case 3:
                    {
                        var got = db.RPop(B(k));
                        if (list.Count == 0) Assert.Null(got);
                        else { Assert.Equal(list[^1], Encoding.UTF8.GetString(got!)); list.RemoveAt(list.Count - 1); }
                        break;
                    }
                case 4:
                    if (list.Count > 0)
                    {
                        int i = rng.Next(list.Count);
                        var v = V();
                        db.LSet(B(k), i, B(v));
                        list[i] = v;
                    }
                    break;
                case 5:
                    {
                        var pivot = V();
                        var v = V();
                        bool before = rng.Next(2) == 0;
                        long r = db.LInsert(B(k), before, B(pivot), B(v));
                        int at = list.IndexOf(pivot);
                        if (list.Count == 0) Assert.Equal(0, r);
                        else if (at < 0) Assert.Equal(-1, r);
                        else { list.Insert(before ? at : at + 1, v); Assert.Equal(list.Count, r); }
                        break;
                    }
                case 6:
                    {
                        var v = V();
                        int count = rng.Next(-2, 3);
                        long removed = db.LRem(B(k), count, B(v));
                        int expected = 0;
                        if (count >= 0)
                            for (int i = 0; i < list.Count && (count == 0 || expected < count);)
                                if (list[i] == v) { list.RemoveAt(i); expected++; } else i++;
                        else
                            for (int i = list.Count - 1; i >= 0 && expected < -count; i--)
                                if (list[i] == v) { list.RemoveAt(i); expected++; }
                        Assert.Equal(expected, removed);
                        break;
                    }
                case 7:
                    {
                        long start = rng.Next(-3, 3), stop = rng.Next(-3, 30);
                        db.LTrim(B(k), start, stop);
                        long s = start, e = stop;
                        if (KvDatabase.ClampRange(list.Count, ref s, ref e)) { var kept = list.GetRange((int)s, (int)(e - s + 1)); list.Clear(); list.AddRange(kept); }
                        else list.Clear();
                        break;
                    }
                case 8:
                    {
                        string other = keys[rng.Next(keys.Length)];
                        if (!model.TryGetValue(other, out var dst)) model[other] = dst = [];
                        bool fromLeft = rng.Next(2) == 0, toLeft = rng.Next(2) == 0;
                        var got = db.LMove(B(k), B(other), fromLeft, toLeft);
                        if (list.Count == 0) { Assert.Null(got); break; }
                        var v = fromLeft ? list[0] : list[^1];
                        list.RemoveAt(fromLeft ? 0 : list.Count - 1);
                        if (toLeft) dst.Insert(0, v); else dst.Add(v);
                        Assert.Equal(v, Encoding.UTF8.GetString(got!));
                        break;
                    }
                case 9:
                    {
                        var v = V();
                        var got = db.LPos(B(k), B(v), rank: -1, count: 0);
                        var expected = Enumerable.Range(0, list.Count).Reverse().Where(i => list[i] == v).Select(i => (long)i);
                        Assert.Equal(expected, got);
                        break;
                    }
                case 10:
                    if (rng.Next(10) == 0) { db.Delete(B(k)); list.Clear(); }
                    else
                    {
                        long start = rng.Next(-5, 5), stop = rng.Next(-5, 10);
                        long s = start, e = stop;
                        var expected = KvDatabase.ClampRange(list.Count, ref s, ref e) ? list.GetRange((int)s, (int)(e - s + 1)) : [];
                        Assert.Equal(expected, S(db.LRange(B(k), start, stop)));
                    }
                    break;
                default:
                    {
                        int i = rng.Next(-6, 6);
                        int j = i < 0 ? i + list.Count : i;
                        var got = db.LIndex(B(k), i);
                        if (j < 0 || j >= list.Count) Assert.Null(got);
                        else Assert.Equal(list[j], Encoding.UTF8.GetString(got!));
                        break;
                    }
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
