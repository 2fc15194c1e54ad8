using System.Text;
using TieredKv.Keyspace;
using TieredKv.Types.SortedSets;

namespace TieredKv.Tests.Keyspace;

/// <summary>Every type, in several databases, exported from a snapshot and imported into a second store reads back the same through the ordinary commands.</summary>
public sealed class ExportImportRoundTripTests : IDisposable
{
    private readonly StoreFixture _source = new();
    private readonly StoreFixture _target = new();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string T(byte[]? b) => b == null ? "<null>" : Convert.ToHexString(b);
    private static List<string> T(IEnumerable<(byte[] Field, byte[] Value)> pairs) => pairs.Select(p => T(p.Field) + "=" + T(p.Value)).ToList();
    private static List<string> T(IEnumerable<(byte[] Member, double Score)> pairs) => pairs.Select(p => T(p.Member) + "=" + p.Score.ToString("R")).ToList();

    private void Populate()
    {
        var rng = new Random(7);
        long now = _source.Clock.NowMs;
        for (int d = 0; d < 3; d++)
        {
            var db = _source.Store[d];
            db.Set(B("str"), B($"value in {d}"));
            db.Set(B("empty-str"), []);
            db.Set(B("ttl-str"), B("x"), expireAtMs: now + 60_000);
            db.HSet(B("hash"), Enumerable.Range(0, 1500).Select(i => (B($"f{i}"), B($"v{rng.Next()}"))).ToList());
            db.HSet(B("small-hash"), [(B("a"), B("1"))]);
            db.RPush(B("list"), Enumerable.Range(0, 1200).Select(i => B($"r{i}")).ToList());
            db.LPush(B("list"), Enumerable.Range(0, 900).Select(i => B($"l{i}")).ToList());
            db.RPush(B("list"), [B("dup"), B("dup")]);
            db.SAdd(B("set"), Enumerable.Range(0, 2000).Select(i => B($"m{rng.Next(5000)}")).ToList());
            db.ZAdd(B("zset"), Enumerable.Range(0, 2500).Select(i => ((double)rng.Next(-100, 100) / 4, B($"z{i}"))).ToList());
            db.ZAdd(B("zset"), [(double.PositiveInfinity, B("inf")), (double.NegativeInfinity, B("-inf"))]);
            db.Expire(B("zset"), TimeSpan.FromMinutes(5));
            db.SAdd(B("expired"), [B("gone")]);
            db.Expire(B("expired"), TimeSpan.FromSeconds(1));
        }
        _source.Clock.Advance(TimeSpan.FromSeconds(2));
        _target.Clock.Advance(TimeSpan.FromSeconds(2));
    }

    private static void Import(SnapshotKey key, KvDatabase target)
    {
        using var import = target.BeginImport(key.Key, key.Type, key.ExpireAtUnixMs);
        switch (key.Type)
        {
            case KeyType.String: import.SetString(key.StringValue()); break;
            case KeyType.Hash: foreach (var (f, v) in key.HashFields()) import.AddHashField(f, v); break;
            case KeyType.List: foreach (var item in key.ListItems()) import.AppendListItem(item); break;
            case KeyType.Set: foreach (var m in key.SetMembers()) import.AddSetMember(m); break;
            case KeyType.SortedSet: foreach (var (m, s) in key.SortedSetMembers()) import.AddSortedSetMember(m, s); break;
        }
        Assert.True(import.Complete());
    }

    [Fact]
    public void EveryType_RoundTripsThroughASnapshotIntoASecondStore()
    {
        Populate();
        using (var snap = _source.Store.OpenSnapshot())
        {
            for (int d = 0; d < snap.DatabaseCount; d++)
                foreach (var key in snap.Keys(d))
                    Import(key, _target.Store[d]);
        }

        for (int d = 0; d < 3; d++)
        {
            KvDatabase a = _source.Store[d], b = _target.Store[d];
            var keys = a.Keys("*"u8);
            Assert.Equal(8, keys.Count); // "expired" is gone
            Assert.Equal(keys.Count, b.DbSize());
            Assert.Equal(keys.Select(Encoding.UTF8.GetString).Order(), b.Keys("*"u8).Select(Encoding.UTF8.GetString).Order());
            foreach (var key in keys)
            {
                var type = a.Type(key);
                Assert.Equal(type, b.Type(key));
                Assert.Equal(a.PExpireTime(key), b.PExpireTime(key));
                switch (type)
                {
                    case KeyType.String: Assert.Equal(T(a.Get(key)), T(b.Get(key))); break;
                    case KeyType.Hash:
                        Assert.Equal(a.HLen(key), b.HLen(key));
                        Assert.Equal(T(a.HGetAll(key)), T(b.HGetAll(key)));
                        break;
                    case KeyType.List:
                        Assert.Equal(a.LLen(key), b.LLen(key));
                        Assert.Equal(a.LRange(key, 0, -1).Select(T), b.LRange(key, 0, -1).Select(T));
                        Assert.Equal(T(a.LIndex(key, 1000)), T(b.LIndex(key, 1000)));
                        break;
                    case KeyType.Set:
                        Assert.Equal(a.SCard(key), b.SCard(key));
                        Assert.Equal(a.SMembers(key).Select(T), b.SMembers(key).Select(T));
                        break;
                    case KeyType.SortedSet:
                        Assert.Equal(a.ZCard(key), b.ZCard(key));
                        Assert.Equal(T(a.ZRangeByRank(key, 0, -1)), T(b.ZRangeByRank(key, 0, -1)));
                        Assert.Equal(a.ZScore(key, B("z17")), b.ZScore(key, B("z17")));
                        Assert.Equal(a.ZCount(key, new ScoreBound(-3), new ScoreBound(3)), b.ZCount(key, new ScoreBound(-3), new ScoreBound(3)));
                        break;
                }
            }
        }

        _target.Reopen();
        Assert.Equal(8, _target.Store[2].DbSize());
        Assert.Equal(T(_source.Store[2].HGetAll(B("hash"))), T(_target.Store[2].HGetAll(B("hash"))));
    }
}
