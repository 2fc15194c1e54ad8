using System.Text;
using TieredKv.Keyspace;
using TieredKv.Storage;

namespace TieredKv.Tests.Types.Hashes;

public sealed class HashTests : IDisposable
{
    private readonly StoreFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private KvDatabase Db => _fx.Db;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[]? b) => b == null ? "<null>" : Encoding.UTF8.GetString(b);

    private static (byte[], byte[])[] Pairs(params string[] fv) =>
        Enumerable.Range(0, fv.Length / 2).Select(i => (B(fv[2 * i]), B(fv[2 * i + 1]))).ToArray();

    [Fact]
    public void HSet_ReturnsNumberOfNewFields()
    {
        Assert.Equal(2, Db.HSet(B("h"), Pairs("a", "1", "b", "2")));
        Assert.Equal(1, Db.HSet(B("h"), Pairs("a", "x", "c", "3")));
        Assert.Equal("x", S(Db.HGet(B("h"), B("a"))));
        Assert.Equal(3, Db.HLen(B("h")));
    }

    [Fact]
    public void HSet_SameFieldTwice_CountsOnceAndLastValueWins()
    {
        Assert.Equal(1, Db.HSet(B("h"), Pairs("a", "1", "a", "2")));
        Assert.Equal("2", S(Db.HGet(B("h"), B("a"))));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void HSet_WithNoPairs_IsAnArgumentError()
    {
        var e = Assert.Throws<KvException>(() => Db.HSet(B("h"), []));
        Assert.Equal("ERR wrong number of arguments for 'hset' command", e.Message);
    }

    [Fact]
    public void HGet_ReturnsNull_ForMissingKeyOrField()
    {
        Assert.Null(Db.HGet(B("h"), B("a")));
        Db.HSet(B("h"), Pairs("a", "1"));
        Assert.Null(Db.HGet(B("h"), B("b")));
    }

    [Fact]
    public void HSetNx_WritesOnlyAbsentField()
    {
        Assert.True(Db.HSetNx(B("h"), B("a"), B("1")));
        Assert.False(Db.HSetNx(B("h"), B("a"), B("2")));
        Assert.Equal("1", S(Db.HGet(B("h"), B("a"))));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void HMGet_ReturnsNullForMissingFields()
    {
        Db.HSet(B("h"), Pairs("a", "1", "c", "3"));
        var values = Db.HMGet(B("h"), [B("a"), B("b"), B("c")]);
        Assert.Equal(["1", "<null>", "3"], values.Select(S));
        Assert.All(Db.HMGet(B("missing"), [B("a")]), Assert.Null);
    }

    [Fact]
    public void HDel_ReturnsRemovedCount_IgnoringMissingAndRepeatedFields()
    {
        Db.HSet(B("h"), Pairs("a", "1", "b", "2", "c", "3"));
        Assert.Equal(2, Db.HDel(B("h"), [B("a"), B("a"), B("b"), B("zz")]));
        Assert.Equal(1, Db.HLen(B("h")));
        Assert.Equal(0, Db.HDel(B("missing"), [B("a")]));
    }

    [Fact]
    public void HDel_DeletesKey_WhenLastFieldRemoved()
    {
        Db.HSet(B("h"), Pairs("a", "1", "b", "2"));
        Assert.Equal(1, Db.DbSize());
        Assert.Equal(2, Db.HDel(B("h"), [B("a"), B("b")]));
        Assert.False(Db.Exists(B("h")));
        Assert.Equal(KeyType.None, Db.Type(B("h")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void HStrLen_IsValueLength_OrZero()
    {
        Db.HSet(B("h"), Pairs("a", "hello"));
        Assert.Equal(5, Db.HStrLen(B("h"), B("a")));
        Assert.Equal(0, Db.HStrLen(B("h"), B("b")));
    }

    [Fact]
    public void HExists_ReportsFieldPresence()
    {
        Db.HSet(B("h"), Pairs("a", ""));
        Assert.True(Db.HExists(B("h"), B("a")));
        Assert.False(Db.HExists(B("h"), B("b")));
        Assert.False(Db.HExists(B("missing"), B("a")));
    }

    [Fact]
    public void HGetAll_ReturnsFieldsInByteOrder()
    {
        Db.HSet(B("h"), Pairs("b", "2", "a", "1", "ab", "3", "\u00ff", "4"));
        var all = Db.HGetAll(B("h"));
        Assert.Equal(["a", "ab", "b", "\u00ff"], all.Select(e => S(e.Field)));
        Assert.Equal(["1", "3", "2", "4"], all.Select(e => S(e.Value)));
        Assert.Equal(["a", "ab", "b", "\u00ff"], Db.HKeys(B("h")).Select(S));
        Assert.Equal(["1", "3", "2", "4"], Db.HVals(B("h")).Select(S));
        Assert.Empty(Db.HGetAll(B("missing")));
    }

    [Fact]
    public void HIncrBy_CreatesAndIncrements()
    {
        Assert.Equal(5, Db.HIncrBy(B("h"), B("n"), 5));
        Assert.Equal(-2, Db.HIncrBy(B("h"), B("n"), -7));
        Assert.Equal("-2", S(Db.HGet(B("h"), B("n"))));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void HIncrBy_OnNonInteger_Throws()
    {
        Db.HSet(B("h"), Pairs("n", "1.5"));
        var e = Assert.Throws<KvException>(() => Db.HIncrBy(B("h"), B("n"), 1));
        Assert.Equal("ERR hash value is not an integer", e.Message);
    }

    [Fact]
    public void HIncrBy_Overflow_Throws()
    {
        Db.HSet(B("h"), Pairs("n", long.MaxValue.ToString()));
        var e = Assert.Throws<KvException>(() => Db.HIncrBy(B("h"), B("n"), 1));
        Assert.Equal("ERR increment or decrement would overflow", e.Message);
        Assert.Equal(long.MaxValue.ToString(), S(Db.HGet(B("h"), B("n"))));
    }

    [Fact]
    public void HIncrByFloat_StoresRedisFormatting()
    {
        Db.HSet(B("h"), Pairs("f", "10.50"));
        Assert.Equal("10.6", S(Db.HIncrByFloat(B("h"), B("f"), 0.1)));
        Assert.Equal("3", S(Db.HIncrByFloat(B("h"), B("g"), 3.0)));
        Assert.Equal("10.6", S(Db.HGet(B("h"), B("f"))));
    }

    [Theory]
    [InlineData("1\t")]
    [InlineData("\t1")]
    [InlineData("1\n")]
    public void HIncrByFloat_OnValueWithWhiteSpace_Throws(string value)
    {
        Db.HSet(B("h"), Pairs("f", value));
        var e = Assert.Throws<KvException>(() => Db.HIncrByFloat(B("h"), B("f"), 1));
        Assert.Equal("ERR hash value is not a float", e.Message);
    }

    [Fact]
    public void HIncrByFloat_OnNonFloat_Throws()
    {
        Db.HSet(B("h"), Pairs("f", "abc"));
        var e = Assert.Throws<KvException>(() => Db.HIncrByFloat(B("h"), B("f"), 1));
        Assert.Equal("ERR hash value is not a float", e.Message);
    }

    [Fact]
    public void HRandField_WithoutCount_ReturnsAFieldOrNull()
    {
        Assert.Null(Db.HRandField(B("h")));
        Db.HSet(B("h"), Pairs("a", "1", "b", "2"));
        Assert.Contains(S(Db.HRandField(B("h"))), new[] { "a", "b" });
    }

    [Fact]
    public void HRandField_PositiveCount_ReturnsDistinctFields()
    {
        Db.HSet(B("h"), Enumerable.Range(0, 20).Select(i => (B($"f{i}"), B($"v{i}"))).ToArray());
        for (int round = 0; round < 20; round++)
        {
            var picks = Db.HRandField(B("h"), 5, withValues: true);
            Assert.Equal(5, picks.Select(p => S(p.Field)).Distinct().Count());
            Assert.All(picks, p => Assert.Equal("v" + S(p.Field)[1..], S(p.Value)));
        }
    }

    [Fact]
    public void HRandField_CountAtLeastSize_ReturnsWholeHash()
    {
        Db.HSet(B("h"), Pairs("a", "1", "b", "2", "c", "3"));
        var picks = Db.HRandField(B("h"), 10);
        Assert.Equal(["a", "b", "c"], picks.Select(p => S(p.Field)).Order());
        Assert.All(picks, p => Assert.Null(p.Value));
    }

    [Fact]
    public void HRandField_NegativeCount_ReturnsThatManyWithRepeats()
    {
        Db.HSet(B("h"), Pairs("a", "1", "b", "2"));
        var picks = Db.HRandField(B("h"), -50);
        Assert.Equal(50, picks.Count);
        Assert.Equal(["a", "b"], picks.Select(p => S(p.Field)).Distinct().Order());
        Assert.Empty(Db.HRandField(B("h"), 0));
        Assert.Empty(Db.HRandField(B("missing"), -3));
    }

    [Fact]
    public void HScan_ReturnsEveryMatchingFieldOnce()
    {
        Db.HSet(B("h"), Enumerable.Range(0, 50).Select(i => (B($"f{i}"), B($"{i}"))).ToArray());
        var seen = new List<string>();
        ulong cursor = 0;
        int steps = 0;
        do
        {
            var (next, entries) = Db.HScan(B("h"), cursor, B("f1*"), 7);
            seen.AddRange(entries.Select(e => S(e.Field)));
            Assert.All(entries, e => Assert.Equal(S(e.Field)[1..], S(e.Value)));
            cursor = next;
            steps++;
        } while (cursor != 0);
        Assert.True(steps > 1);
        Assert.Equal(new[] { "f1" }.Concat(Enumerable.Range(10, 10).Select(i => $"f{i}")).Order(), seen.Order());
        Assert.Equal(0UL, Db.HScan(B("missing"), 0).Cursor);
    }

    [Fact]
    public void HashOperations_OnString_ThrowWrongType()
    {
        Db.Set(B("s"), B("v"));
        Assert.Throws<WrongTypeException>(() => Db.HSet(B("s"), Pairs("a", "1")));
        Assert.Throws<WrongTypeException>(() => Db.HGet(B("s"), B("a")));
        Assert.Throws<WrongTypeException>(() => Db.HDel(B("s"), [B("a")]));
        Assert.Throws<WrongTypeException>(() => Db.HLen(B("s")));
        Assert.Throws<WrongTypeException>(() => Db.HGetAll(B("s")));
        Assert.Throws<WrongTypeException>(() => Db.HIncrBy(B("s"), B("a"), 1));
        Assert.Throws<WrongTypeException>(() => Db.HRandField(B("s")));
        Assert.Throws<WrongTypeException>(() => Db.HScan(B("s"), 0));
        Assert.Equal("v", S(Db.Get(B("s"))));
    }

    [Fact]
    public void Hash_OnSetKey_ThrowsWrongType_AndGetOnHashToo()
    {
        Db.SAdd(B("set"), [B("m")]);
        Assert.Throws<WrongTypeException>(() => Db.HSetNx(B("set"), B("a"), B("1")));
        Db.HSet(B("h"), Pairs("a", "1"));
        Assert.Throws<WrongTypeException>(() => Db.Get(B("h")));
        Assert.Equal(KeyType.Hash, Db.Type(B("h")));
    }

    [Fact]
    public void Hash_SurvivesReopen()
    {
        Db.HSet(B("h"), Pairs("a", "1", "b", "2"));
        _fx.Reopen();
        Assert.Equal(["a", "b"], Db.HKeys(B("h")).Select(S));
        Assert.Equal(2, Db.HLen(B("h")));
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void Del_ThenRecreate_DoesNotResurrectOldFields()
    {
        Db.HSet(B("h"), Pairs("a", "1", "b", "2"));
        Assert.Equal(1, Db.Delete(B("h")));
        Db.HSet(B("h"), Pairs("c", "3"));
        Assert.Null(Db.HGet(B("h"), B("a")));
        Assert.Equal(["c"], Db.HKeys(B("h")).Select(S));
        Assert.Equal(1, Db.HLen(B("h")));
    }

    [Fact]
    public void ExpiredHash_IsGone_AndRecreatedEmpty()
    {
        Db.HSet(B("h"), Pairs("a", "1"));
        Db.Expire(B("h"), TimeSpan.FromSeconds(1));
        _fx.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(Db.HGet(B("h"), B("a")));
        Assert.Equal(1, Db.HSet(B("h"), Pairs("b", "2")));
        Assert.Equal(["b"], Db.HKeys(B("h")).Select(S));
        Assert.Equal(-1, Db.PTtl(B("h")));
    }

    [Fact]
    public void HSet_KeepsTheKeysExpiry()
    {
        Db.HSet(B("h"), Pairs("a", "1"));
        Db.Expire(B("h"), TimeSpan.FromSeconds(10));
        Db.HSet(B("h"), Pairs("b", "2"));
        Assert.Equal(10_000, Db.PTtl(B("h")));
    }

    /// <summary>Random operations against a dictionary model, across reopens, demotions and compactions.</summary>
    [Fact]
    public void Model_RandomOperations_MatchDictionary()
    {
        using var fx = new StoreFixture(o => o with { MaxMemoryBytes = 4096 });
        var model = new Dictionary<string, SortedDictionary<string, string>>();
        var random = new Random(20260101);
        const int Keys = 60; // enough hot entries to overflow the 4 KiB budget
        long demotions = 0;
        string RandomKey() => "key" + random.Next(Keys);
        string RandomField() => "f" + random.Next(30);

        void Check()
        {
            var db = fx.Db;
            Assert.Equal(model.Count, db.DbSize());
            for (int k = 0; k < Keys; k++)
            {
                string key = "key" + k;
                var expected = model.TryGetValue(key, out var h) ? h : new SortedDictionary<string, string>(StringComparer.Ordinal);
                var actual = db.HGetAll(B(key));
                Assert.Equal(expected.Select(e => $"{e.Key}={e.Value}"), actual.Select(e => $"{S(e.Field)}={S(e.Value)}"));
                Assert.Equal(expected.Count, db.HLen(B(key)));
            }
        }

        SortedDictionary<string, string> Hash(string key) =>
            model.TryGetValue(key, out var h) ? h : model[key] = new SortedDictionary<string, string>(StringComparer.Ordinal);

        void DropIfEmpty(string key)
        {
            if (model.TryGetValue(key, out var h) && h.Count == 0) model.Remove(key);
        }

        for (int op = 1; op <= 3000; op++)
        {
            var db = fx.Db;
            string key = RandomKey();
            switch (random.Next(10))
            {
                case 0 or 1 or 2:
                {
                    var pairs = Enumerable.Range(0, random.Next(1, 4)).Select(_ => (RandomField(), "v" + random.Next(1000))).ToArray();
                    var h = Hash(key);
                    long expectedAdded = pairs.Select(p => p.Item1).Distinct().Count(f => !h.ContainsKey(f));
                    foreach (var (f, v) in pairs) h[f] = v;
                    Assert.Equal(expectedAdded, db.HSet(B(key), pairs.Select(p => (B(p.Item1), B(p.Item2))).ToArray()));
                    break;
                }
                case 3 or 4:
                {
                    var fields = Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomField()).ToArray();
                    long expectedRemoved = 0;
                    if (model.TryGetValue(key, out var h))
                        foreach (var f in fields.Distinct()) expectedRemoved += h.Remove(f) ? 1 : 0;
                    DropIfEmpty(key);
                    Assert.Equal(expectedRemoved, db.HDel(B(key), fields.Select(B).ToArray()));
                    break;
                }
                case 5:
                {
                    string f = RandomField();
                    var h = Hash(key);
                    long current = h.TryGetValue(f, out var v) && long.TryParse(v, out var n) ? n : 0;
                    if (h.TryGetValue(f, out v) && !long.TryParse(v, out _))
                    {
                        Assert.Throws<KvException>(() => db.HIncrBy(B(key), B(f), 3));
                        DropIfEmpty(key);
                        break;
                    }
                    h[f] = (current + 3).ToString();
                    Assert.Equal(current + 3, db.HIncrBy(B(key), B(f), 3));
                    break;
                }
                case 6:
                {
                    string f = RandomField();
                    var h = Hash(key);
                    bool wrote = h.TryAdd(f, "nx");
                    Assert.Equal(wrote, db.HSetNx(B(key), B(f), B("nx")));
                    break;
                }
                case 7:
                {
                    string f = RandomField();
                    string? expected = model.TryGetValue(key, out var h) && h.TryGetValue(f, out var v) ? v : null;
                    Assert.Equal(expected ?? "<null>", S(db.HGet(B(key), B(f))));
                    break;
                }
                case 8:
                    if (random.Next(4) == 0) Assert.Equal(model.Remove(key) ? 1 : 0, db.Delete(B(key)));
                    else if (model.TryGetValue(key, out var h) && h.Count > 0)
                    {
                        var picks = db.HRandField(B(key), 3, withValues: true);
                        Assert.Equal(Math.Min(3, h.Count), picks.Count);
                        Assert.All(picks, p => Assert.Equal(h[S(p.Field)], S(p.Value)));
                    }
                    break;
                default:
                {
                    var (_, entries) = db.HScan(B(key), 0, default, 1000);
                    var expected = model.TryGetValue(key, out var h) ? h.Keys.ToList() : [];
                    Assert.Equal(expected, entries.Select(e => S(e.Field)));
                    break;
                }
            }

            if (op % 250 == 0) Check();
            if (op % 500 == 0) fx.Store.Engine.CompactRange();
            if (op % 700 == 0)
            {
                demotions += fx.Store.GetStatistics().Demotions;
                fx.Reopen();
            }
        }
        fx.Store.Engine.CompactRange();
        Check();
        demotions += fx.Store.GetStatistics().Demotions;
        fx.Reopen();
        Check();
        Assert.True(demotions > 0);

        // After a full compaction only live elements remain: dead versions dropped, live ones kept.
        Assert.Equal(model.Values.Sum(h => h.Count), fx.CompactAndCountElementRecords());
    }
}
