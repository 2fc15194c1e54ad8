using System.Text;
using TieredKv.Keyspace;
using TieredKv.Storage;

namespace TieredKv.Tests.Types.Sets;

public sealed class SetTests : IDisposable
{
    private readonly StoreFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private KvDatabase Db => _fx.Db;

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(byte[]? b) => b == null ? "<null>" : Encoding.UTF8.GetString(b);

    private static byte[][] Bs(params string[] s) => s.Select(B).ToArray();

    private IEnumerable<string> Members(string key) => Db.SMembers(B(key)).Select(S);

    [Fact]
    public void SAdd_ReturnsNumberOfNewMembers_CountingRepeatsOnce()
    {
        Assert.Equal(2, Db.SAdd(B("s"), Bs("a", "b", "a")));
        Assert.Equal(1, Db.SAdd(B("s"), Bs("b", "c")));
        Assert.Equal(0, Db.SAdd(B("s"), Bs("c")));
        Assert.Equal(3, Db.SCard(B("s")));
    }

    [Fact]
    public void SMembers_ReturnsMembersInByteOrder()
    {
        Db.SAdd(B("s"), Bs("b", "a", "ab", "\u00ff", ""));
        Assert.Equal(["", "a", "ab", "b", "\u00ff"], Members("s"));
        Assert.Empty(Members("missing"));
    }

    [Fact]
    public void SRem_ReturnsRemovedCount()
    {
        Db.SAdd(B("s"), Bs("a", "b", "c"));
        Assert.Equal(2, Db.SRem(B("s"), Bs("a", "a", "c", "zz")));
        Assert.Equal(["b"], Members("s"));
        Assert.Equal(0, Db.SRem(B("missing"), Bs("a")));
    }

    [Fact]
    public void SRem_DeletesKey_WhenLastMemberRemoved()
    {
        Db.SAdd(B("s"), Bs("a"));
        Assert.Equal(1, Db.SRem(B("s"), Bs("a")));
        Assert.False(Db.Exists(B("s")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void SIsMember_AndSMIsMember_ReportMembership()
    {
        Db.SAdd(B("s"), Bs("a", "c"));
        Assert.True(Db.SIsMember(B("s"), B("a")));
        Assert.False(Db.SIsMember(B("s"), B("b")));
        Assert.Equal([true, false, true], Db.SMIsMember(B("s"), Bs("a", "b", "c")));
        Assert.Equal([false], Db.SMIsMember(B("missing"), Bs("a")));
    }

    [Fact]
    public void SRandMember_PositiveCount_ReturnsDistinctMembers()
    {
        Db.SAdd(B("s"), Enumerable.Range(0, 30).Select(i => B($"m{i}")).ToArray());
        for (int round = 0; round < 20; round++)
        {
            var picks = Db.SRandMember(B("s"), 7).Select(S).ToList();
            Assert.Equal(7, picks.Distinct().Count());
            Assert.All(picks, p => Assert.StartsWith("m", p));
        }
        Assert.Equal(30, Db.SCard(B("s")));
    }

    [Fact]
    public void SRandMember_NegativeCount_MayRepeat()
    {
        Db.SAdd(B("s"), Bs("a", "b"));
        var picks = Db.SRandMember(B("s"), -20).Select(S).ToList();
        Assert.Equal(20, picks.Count);
        Assert.Equal(["a", "b"], picks.Distinct().Order());
        Assert.Equal(["a", "b"], Db.SRandMember(B("s"), 5).Select(S).Order());
        Assert.Contains(S(Db.SRandMember(B("s"))), new[] { "a", "b" });
        Assert.Null(Db.SRandMember(B("missing")));
        Assert.Empty(Db.SRandMember(B("s"), 0));
    }

    [Fact]
    public void SPop_RemovesTheReturnedMembers()
    {
        Db.SAdd(B("s"), Bs("a", "b", "c", "d"));
        var popped = Db.SPop(B("s"), 3).Select(S).ToList();
        Assert.Equal(3, popped.Distinct().Count());
        var left = Members("s").ToList();
        Assert.Single(left);
        Assert.Equal(["a", "b", "c", "d"], popped.Concat(left).Order());
    }

    [Fact]
    public void SPop_DeletesKey_WhenItTakesEverything()
    {
        Db.SAdd(B("s"), Bs("a", "b"));
        Assert.Equal(["a", "b"], Db.SPop(B("s"), 10).Select(S).Order());
        Assert.False(Db.Exists(B("s")));
        Assert.Null(Db.SPop(B("s")));
        Assert.Equal(0, Db.DbSize());
    }

    [Fact]
    public void SPop_NegativeCount_IsAnError()
    {
        Db.SAdd(B("s"), Bs("a"));
        var e = Assert.Throws<KvException>(() => Db.SPop(B("s"), -1));
        Assert.Equal("ERR value is out of range, must be positive", e.Message);
    }

    [Fact]
    public void SMove_MovesMember_AndDeletesEmptiedSource()
    {
        Db.SAdd(B("src"), Bs("a"));
        Db.SAdd(B("dst"), Bs("b"));
        Assert.True(Db.SMove(B("src"), B("dst"), B("a")));
        Assert.False(Db.Exists(B("src")));
        Assert.Equal(["a", "b"], Members("dst"));
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void SMove_CreatesDestination_AndReturnsFalseForNonMember()
    {
        Db.SAdd(B("src"), Bs("a", "b"));
        Assert.False(Db.SMove(B("src"), B("dst"), B("zz")));
        Assert.True(Db.SMove(B("src"), B("dst"), B("a")));
        Assert.Equal(["b"], Members("src"));
        Assert.Equal(["a"], Members("dst"));
        Assert.False(Db.SMove(B("missing"), B("dst"), B("a")));
    }

    [Fact]
    public void SMove_MemberAlreadyInDestination_KeepsCountExact()
    {
        Db.SAdd(B("src"), Bs("a", "b"));
        Db.SAdd(B("dst"), Bs("a"));
        Assert.True(Db.SMove(B("src"), B("dst"), B("a")));
        Assert.Equal(1, Db.SCard(B("dst")));
        Assert.Equal(1, Db.SCard(B("src")));
    }

    [Fact]
    public void SMove_ToSameKey_ReportsMembership()
    {
        Db.SAdd(B("s"), Bs("a"));
        Assert.True(Db.SMove(B("s"), B("s"), B("a")));
        Assert.False(Db.SMove(B("s"), B("s"), B("b")));
        Assert.Equal(["a"], Members("s"));
    }

    [Fact]
    public void SMove_DestinationOfAnotherType_ThrowsWrongType()
    {
        Db.SAdd(B("src"), Bs("a"));
        Db.Set(B("str"), B("v"));
        Assert.Throws<WrongTypeException>(() => Db.SMove(B("src"), B("str"), B("a")));
        Assert.Equal(["a"], Members("src"));
        Assert.False(Db.SMove(B("missing"), B("str"), B("a"))); // Redis looks at the source first
    }

    [Fact]
    public void SInter_ReturnsCommonMembers_EmptyWhenAKeyIsMissing()
    {
        Db.SAdd(B("a"), Bs("1", "2", "3", "4"));
        Db.SAdd(B("b"), Bs("2", "3", "5"));
        Db.SAdd(B("c"), Bs("3", "2", "9"));
        Assert.Equal(["2", "3"], Db.SInter(Bs("a", "b", "c")).Select(S));
        Assert.Empty(Db.SInter(Bs("a", "missing")));
        Assert.Equal(["1", "2", "3", "4"], Db.SInter(Bs("a", "a")).Select(S));
    }

    [Fact]
    public void SInter_WithNoKeys_IsAnArgumentError()
    {
        var e = Assert.Throws<KvException>(() => Db.SInter([]));
        Assert.Equal("ERR wrong number of arguments for 'sinter' command", e.Message);
    }

    [Fact]
    public void SInterCard_StopsAtLimit()
    {
        Db.SAdd(B("a"), Bs("1", "2", "3", "4"));
        Db.SAdd(B("b"), Bs("1", "2", "3"));
        Assert.Equal(3, Db.SInterCard(Bs("a", "b")));
        Assert.Equal(2, Db.SInterCard(Bs("a", "b"), 2));
        var e = Assert.Throws<KvException>(() => Db.SInterCard(Bs("a"), -1));
        Assert.Equal("ERR LIMIT can't be negative", e.Message);
    }

    [Fact]
    public void SUnion_AndSDiff_ComputeInByteOrder()
    {
        Db.SAdd(B("a"), Bs("1", "2", "3"));
        Db.SAdd(B("b"), Bs("3", "4"));
        Assert.Equal(["1", "2", "3", "4"], Db.SUnion(Bs("a", "b", "missing")).Select(S));
        Assert.Equal(["1", "2"], Db.SDiff(Bs("a", "b", "missing")).Select(S));
        Assert.Empty(Db.SDiff(Bs("a", "a")));
        Assert.Empty(Db.SDiff(Bs("missing", "a")));
    }

    [Fact]
    public void SetAlgebra_WithAWrongTypeKey_ThrowsEvenIfAnotherKeyIsMissing()
    {
        Db.SAdd(B("a"), Bs("1"));
        Db.Set(B("str"), B("v"));
        Assert.Throws<WrongTypeException>(() => Db.SInter(Bs("missing", "str")));
        Assert.Throws<WrongTypeException>(() => Db.SUnion(Bs("a", "str")));
        Assert.Throws<WrongTypeException>(() => Db.SDiff(Bs("missing", "str")));
        Assert.Throws<WrongTypeException>(() => Db.SInterStore(B("d"), Bs("a", "str")));
        Assert.False(Db.Exists(B("d")));
    }

    [Fact]
    public void SInterStore_ReplacesDestination_EvenOfAnotherType()
    {
        Db.SAdd(B("a"), Bs("1", "2"));
        Db.SAdd(B("b"), Bs("2", "3"));
        Db.Set(B("d"), B("v"));
        Db.Expire(B("d"), TimeSpan.FromSeconds(10));
        Assert.Equal(1, Db.SInterStore(B("d"), Bs("a", "b")));
        Assert.Equal(["2"], Members("d"));
        Assert.Equal(-1, Db.PTtl(B("d")));
        Assert.Equal(3, Db.DbSize());
    }

    [Fact]
    public void SUnionStore_DestinationAmongSources_IsReplacedByResult()
    {
        Db.SAdd(B("a"), Bs("1", "2"));
        Db.SAdd(B("b"), Bs("3"));
        Assert.Equal(3, Db.SUnionStore(B("a"), Bs("a", "b")));
        Assert.Equal(["1", "2", "3"], Members("a"));
        Assert.Equal(2, Db.SDiffStore(B("a"), Bs("a", "b", "x")));
        Assert.Equal(["1", "2"], Members("a"));
        Assert.Equal(2, Db.SCard(B("a")));
    }

    [Fact]
    public void SDiffStore_EmptyResult_DeletesDestination()
    {
        Db.SAdd(B("a"), Bs("1"));
        Db.SAdd(B("d"), Bs("old"));
        Assert.Equal(0, Db.SDiffStore(B("d"), Bs("a", "a")));
        Assert.False(Db.Exists(B("d")));
        Assert.Equal(1, Db.DbSize());
    }

    [Fact]
    public void SScan_ReturnsEveryMatchingMemberOnce()
    {
        Db.SAdd(B("s"), Enumerable.Range(0, 40).Select(i => B($"m{i}")).ToArray());
        var seen = new List<string>();
        ulong cursor = 0;
        do
        {
            var (next, members) = Db.SScan(B("s"), cursor, B("m2*"), 6);
            seen.AddRange(members.Select(S));
            cursor = next;
        } while (cursor != 0);
        Assert.Equal(new[] { "m2" }.Concat(Enumerable.Range(20, 10).Select(i => $"m{i}")).Order(), seen.Order());
    }

    [Fact]
    public void SetOperations_OnHash_ThrowWrongType()
    {
        Db.HSet(B("h"), [(B("f"), B("v"))]);
        Assert.Throws<WrongTypeException>(() => Db.SAdd(B("h"), Bs("a")));
        Assert.Throws<WrongTypeException>(() => Db.SRem(B("h"), Bs("a")));
        Assert.Throws<WrongTypeException>(() => Db.SCard(B("h")));
        Assert.Throws<WrongTypeException>(() => Db.SIsMember(B("h"), B("a")));
        Assert.Throws<WrongTypeException>(() => Db.SMembers(B("h")));
        Assert.Throws<WrongTypeException>(() => Db.SPop(B("h")));
        Assert.Throws<WrongTypeException>(() => Db.SRandMember(B("h")));
        Assert.Throws<WrongTypeException>(() => Db.SScan(B("h"), 0));
        Assert.Throws<WrongTypeException>(() => Db.SMove(B("h"), B("x"), B("a")));
        Assert.Equal(KeyType.Hash, Db.Type(B("h")));
    }

    [Fact]
    public void Set_SurvivesReopen()
    {
        Db.SAdd(B("s"), Bs("a", "b"));
        _fx.Reopen();
        Assert.Equal(["a", "b"], Members("s"));
        Assert.Equal(2, Db.SCard(B("s")));
        Assert.Equal(KeyType.Set, Db.Type(B("s")));
    }

    [Fact]
    public void Del_ThenRecreate_DoesNotResurrectOldMembers()
    {
        Db.SAdd(B("s"), Bs("a", "b"));
        Db.Delete(B("s"));
        Db.SAdd(B("s"), Bs("c"));
        Assert.Equal(["c"], Members("s"));
        Assert.False(Db.SIsMember(B("s"), B("a")));
        Assert.Equal(1, Db.SCard(B("s")));
    }

    /// <summary>Random operations against a HashSet model, across reopens, demotions and compactions.</summary>
    [Fact]
    public void Model_RandomOperations_MatchHashSet()
    {
        using var fx = new StoreFixture(o => o with { MaxMemoryBytes = 4096 });
        const int Keys = 60;
        var model = new Dictionary<string, SortedSet<string>>();
        var random = new Random(7);
        long demotions = 0;
        string RandomKey() => "set" + random.Next(Keys);
        string RandomMember() => "m" + random.Next(25);

        SortedSet<string> Of(string key) => model.TryGetValue(key, out var s) ? s : new SortedSet<string>(StringComparer.Ordinal);

        void Put(string key, IEnumerable<string> members)
        {
            var set = new SortedSet<string>(members, StringComparer.Ordinal);
            if (set.Count == 0) model.Remove(key);
            else model[key] = set;
        }

        void Check()
        {
            Assert.Equal(model.Count, fx.Db.DbSize());
            for (int k = 0; k < Keys; k++)
            {
                string key = "set" + k;
                Assert.Equal(Of(key), fx.Db.SMembers(B(key)).Select(S));
                Assert.Equal(Of(key).Count, fx.Db.SCard(B(key)));
            }
        }

        for (int op = 1; op <= 3000; op++)
        {
            var db = fx.Db;
            string key = RandomKey();
            switch (random.Next(12))
            {
                case 0 or 1 or 2:
                {
                    var members = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomMember()).ToArray();
                    var set = Of(key);
                    long expected = members.Distinct().Count(m => !set.Contains(m));
                    Put(key, set.Concat(members));
                    Assert.Equal(expected, db.SAdd(B(key), members.Select(B).ToArray()));
                    break;
                }
                case 3 or 4:
                {
                    var members = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomMember()).ToArray();
                    var set = Of(key);
                    long expected = members.Distinct().Count(set.Contains);
                    Put(key, set.Except(members));
                    Assert.Equal(expected, db.SRem(B(key), members.Select(B).ToArray()));
                    break;
                }
                case 5:
                {
                    var set = Of(key);
                    var popped = db.SPop(B(key), random.Next(0, 4)).Select(S).ToList();
                    Assert.Equal(popped.Count, popped.Distinct().Count());
                    Assert.All(popped, m => Assert.Contains(m, set));
                    Put(key, set.Except(popped));
                    break;
                }
                case 6:
                {
                    string destination = RandomKey(), member = RandomMember();
                    var source = Of(key);
                    bool moved = source.Contains(member);
                    Assert.Equal(moved, db.SMove(B(key), B(destination), B(member)));
                    if (moved && key != destination)
                    {
                        Put(destination, Of(destination).Append(member));
                        Put(key, source.Where(m => m != member));
                    }
                    break;
                }
                case 7:
                {
                    string member = RandomMember();
                    Assert.Equal(Of(key).Contains(member), db.SIsMember(B(key), B(member)));
                    break;
                }
                case 8:
                {
                    var sources = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomKey()).ToArray();
                    if (random.Next(3) == 0) key = sources[0]; // destination among the sources
                    var sets = sources.Select(Of).ToArray();
                    IEnumerable<string> result;
                    long stored;
                    switch (random.Next(3))
                    {
                        case 0:
                            result = sets.Skip(1).Aggregate((IEnumerable<string>)sets[0], (a, s) => a.Intersect(s)).ToList();
                            Assert.Equal(result.Count(), db.SInterCard(sources.Select(B).ToArray()));
                            stored = db.SInterStore(B(key), sources.Select(B).ToArray());
                            break;
                        case 1:
                            result = sets.SelectMany(s => s).Distinct().ToList();
                            stored = db.SUnionStore(B(key), sources.Select(B).ToArray());
                            break;
                        default:
                            result = sets.Skip(1).Aggregate((IEnumerable<string>)sets[0], (a, s) => a.Except(s)).ToList();
                            stored = db.SDiffStore(B(key), sources.Select(B).ToArray());
                            break;
                    }
                    Put(key, result);
                    Assert.Equal(Of(key).Count, stored);
                    break;
                }
                case 9:
                    Assert.Equal(model.Remove(key) ? 1 : 0, db.Delete(B(key)));
                    break;
                case 10:
                {
                    var picks = db.SRandMember(B(key), random.Next(-4, 5)).Select(S).ToList();
                    Assert.All(picks, m => Assert.Contains(m, Of(key)));
                    break;
                }
                default:
                {
                    var sources = new[] { key, RandomKey() };
                    var sets = sources.Select(Of).ToArray();
                    Assert.Equal(sets[0].Intersect(sets[1]).Order(StringComparer.Ordinal), db.SInter(sources.Select(B).ToArray()).Select(S));
                    Assert.Equal(sets[0].Union(sets[1]).Order(StringComparer.Ordinal), db.SUnion(sources.Select(B).ToArray()).Select(S));
                    Assert.Equal(sets[0].Except(sets[1]), db.SDiff(sources.Select(B).ToArray()).Select(S));
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

        // After a full compaction only live members remain: dead versions dropped, live ones kept.
        Assert.Equal(model.Values.Sum(s => s.Count), fx.CompactAndCountElementRecords());
    }
}
