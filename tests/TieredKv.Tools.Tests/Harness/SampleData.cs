using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Client;

namespace TieredKv.Tools.Tests.Harness;

/// <summary>One key of <see cref="SampleData"/>: a string (one item) or a collection; hash items alternate field, value.</summary>
public sealed record SampleKey(int Db, byte[] Key, KeyType Type, IReadOnlyList<byte[]> Items, IReadOnlyList<double>? Scores, long? ExpireAtUnixMs);

/// <summary>
/// Keys of every type in three databases, small and large (so Redis uses its compact and its big encodings:
/// listpacks, intsets, quicklists of several nodes, hash tables, skip lists), binary keys and values, and expiries.
/// Written into a data directory, a server or an RDB file, and the <see cref="KeyImage"/>s to expect back.
/// </summary>
public sealed class SampleData
{
    private readonly List<SampleKey> _keys = [];

    public SampleData()
    {
        long soon = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3_600_000;
        static byte[] B(string s) => Encoding.Latin1.GetBytes(s);
        static IReadOnlyList<byte[]> Many(int n, Func<int, string> item) => Enumerable.Range(0, n).Select(i => B(item(i))).ToList();
        string I(int i) => i.ToString(CultureInfo.InvariantCulture);

        Add(0, "str", KeyType.String, [B("hello")]);
        Add(0, "str:int", KeyType.String, [B("-12345")]);
        Add(0, "str:big", KeyType.String, [B(string.Concat(Enumerable.Repeat("0123456789", 3000)))]);
        Add(0, "str:ttl", KeyType.String, [B("soon gone")], expireAt: soon);
        Add(0, "\x00\xff bin\r\n", KeyType.String, [[0, 1, 2, 255, 13, 10]]);
        Add(0, "hash:small", KeyType.Hash, [B("f1"), B("v1"), B("n"), B("42"), B("empty"), B("")]);
        Add(0, "hash:large", KeyType.Hash, Many(1200, i => i % 2 == 0 ? "field:" + I(i / 2) : new string('h', i % 90)), expireAt: soon + 1);
        Add(0, "list:small", KeyType.List, [B("a"), B("1"), B("b"), B("-2")]);
        Add(0, "list:large", KeyType.List, Many(3000, i => "item-" + I(i) + new string('l', i % 70)));
        Add(0, "set:ints", KeyType.Set, [B("1"), B("300"), B("-70000"), B("4294967296")]);
        Add(0, "set:strs", KeyType.Set, [B("x"), B("y"), B("zz")]);
        Add(0, "set:large", KeyType.Set, Many(700, i => "m" + I(i)), expireAt: soon + 2);
        Add(0, "zset:small", KeyType.SortedSet, [B("a"), B("b"), B("inf"), B("-inf")], [1.5, -2, double.PositiveInfinity, double.NegativeInfinity]);
        Add(0, "zset:large", KeyType.SortedSet, Many(400, i => "member:" + I(i)), Enumerable.Range(0, 400).Select(i => i * 0.25 - 37).ToList(), expireAt: soon + 3);
        Add(1, "db1:str", KeyType.String, [B("one")]);
        Add(1, "str", KeyType.String, [B("same name, other db")], expireAt: soon + 4);
        Add(15, "db15:list", KeyType.List, [B("last"), B("db")]);
    }

    public IReadOnlyList<SampleKey> Keys => _keys;

    private void Add(int db, string key, KeyType type, IReadOnlyList<byte[]> items, IReadOnlyList<double>? scores = null, long? expireAt = null) =>
        _keys.Add(new SampleKey(db, Encoding.Latin1.GetBytes(key), type, items, scores, expireAt));

    public SortedDictionary<string, KeyImage> Expected()
    {
        var images = new SortedDictionary<string, KeyImage>(StringComparer.Ordinal);
        foreach (var k in _keys)
        {
            images.Add($"{k.Db}:{KeyImage.Text(k.Key)}", k.Type switch
            {
                KeyType.String => KeyImage.OfString(k.Items[0], k.ExpireAtUnixMs),
                KeyType.Hash => KeyImage.Of(k.Type, Pairs(k).Select(p => (p.Field, (byte[]?)p.Value, 0.0)), k.ExpireAtUnixMs),
                KeyType.SortedSet => KeyImage.Of(k.Type, k.Items.Select((m, i) => (m, (byte[]?)null, k.Scores![i])), k.ExpireAtUnixMs),
                _ => KeyImage.Of(k.Type, k.Items.Select(m => (m, (byte[]?)null, 0.0)), k.ExpireAtUnixMs),
            });
        }
        return images;
    }

    /// <summary>A closed data directory holding the sample, written through the keyspace API.</summary>
    public void WriteStore(string dir)
    {
        using var store = TieredKvStore.Open(dir, new TieredKvOptions { ActiveExpiryInterval = TimeSpan.Zero });
        foreach (var k in _keys)
        {
            var db = store[k.Db];
            switch (k.Type)
            {
                case KeyType.String: db.Set(k.Key, k.Items[0]); break;
                case KeyType.Hash: db.HSet(k.Key, Pairs(k).ToList()); break;
                case KeyType.List: db.RPush(k.Key, k.Items); break;
                case KeyType.Set: db.SAdd(k.Key, k.Items); break;
                case KeyType.SortedSet: db.ZAdd(k.Key, k.Items.Select((m, i) => (k.Scores![i], m)).ToList()); break;
            }
            if (k.ExpireAtUnixMs is long at) Assert.True(db.ExpireAt(k.Key, at));
        }
    }

    /// <summary>Writes the sample into a running server with the type's write commands and PEXPIREAT.</summary>
    public void WriteServer(RespConnection c)
    {
        foreach (var k in _keys)
        {
            c.CallOrThrow("SELECT", k.Db);
            object[] command = k.Type switch
            {
                KeyType.String => ["SET", k.Key, k.Items[0]],
                KeyType.Hash => ["HSET", k.Key, .. k.Items],
                KeyType.List => ["RPUSH", k.Key, .. k.Items],
                KeyType.Set => ["SADD", k.Key, .. k.Items],
                _ => ["ZADD", k.Key, .. k.Items.SelectMany((m, i) => new object[] { KeyImage.Score(k.Scores![i]).Replace("Infinity", "inf", StringComparison.Ordinal), m })],
            };
            c.CallOrThrow(command);
            if (k.ExpireAtUnixMs is long at) c.CallOrThrow("PEXPIREAT", k.Key, at);
        }
        c.CallOrThrow("SELECT", 0);
    }

    /// <summary>Writes the sample as an RDB file with <see cref="RdbWriter"/>.</summary>
    public void WriteRdb(string path)
    {
        using var f = File.Create(path);
        var w = new RdbWriter(f);
        foreach (var group in _keys.GroupBy(k => k.Db).OrderBy(g => g.Key))
        {
            w.SelectDatabase(group.Key, group.Count(), group.Count(k => k.ExpireAtUnixMs != null));
            foreach (var k in group)
            {
                switch (k.Type)
                {
                    case KeyType.String: w.WriteString(k.Key, k.Items[0], k.ExpireAtUnixMs); break;
                    case KeyType.Hash:
                        w.BeginHash(k.Key, k.Items.Count / 2, k.ExpireAtUnixMs);
                        foreach (var (field, value) in Pairs(k)) w.AddHashField(field, value);
                        break;
                    case KeyType.List:
                        w.BeginList(k.Key, k.Items.Count, k.ExpireAtUnixMs);
                        foreach (var item in k.Items) w.AddListItem(item);
                        break;
                    case KeyType.Set:
                        w.BeginSet(k.Key, k.Items.Count, k.ExpireAtUnixMs);
                        foreach (var m in k.Items) w.AddSetMember(m);
                        break;
                    case KeyType.SortedSet:
                        w.BeginSortedSet(k.Key, k.Items.Count, k.ExpireAtUnixMs);
                        for (int i = 0; i < k.Items.Count; i++) w.AddSortedSetMember(k.Items[i], k.Scores![i]);
                        break;
                }
            }
        }
        w.Finish();
    }

    private static IEnumerable<(byte[] Field, byte[] Value)> Pairs(SampleKey k)
    {
        for (int i = 0; i + 1 < k.Items.Count; i += 2) yield return (k.Items[i], k.Items[i + 1]);
    }
}
