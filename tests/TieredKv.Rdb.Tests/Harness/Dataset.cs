using System.Globalization;
using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Rdb.Tests.Harness;

/// <summary>Keys per database with their values; built deterministically to cover every type in small and large encodings.</summary>
public sealed class Dataset
{
    public SortedDictionary<(int Db, string Key), KeyModel> Keys { get; } = new();

    public void Add(int db, string key, KeyModel value) => Keys.Add((db, key), value);

    /// <summary>
    /// Every type, small (compact encodings) and large (several quicklist nodes, hash tables, skip lists), integers of every
    /// width, compressible and random strings, binary keys, expiries, three databases. <paramref name="scale"/> multiplies the large sizes.
    /// </summary>
    public static Dataset Everything(int seed = 1, int scale = 1)
    {
        var rnd = new Random(seed);
        var d = new Dataset();
        long expiry = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3_600_000 + 123;
        string Rand(int n) => KeyModel.S(Bytes(rnd, n));

        foreach (var s in new[] { "0", "12", "-5", "127", "-128", "300", "-32768", "70000", "-2147483648", "2147483647", "2147483648",
                                  "-9223372036854775808", "007", "+5", "-0", "", "hello", " 1" })
            d.Add(0, "str:" + s, Str(s));
        d.Add(0, "str:compressible", Str(string.Concat(Enumerable.Repeat("abcdefgh", 200))));
        d.Add(0, "str:random", new KeyModel { Type = KeyType.String, String = Bytes(rnd, 300) });
        d.Add(0, "str:large", Str(string.Concat(Enumerable.Range(0, 40_000 * scale).Select(i => (i % 977).ToString(CultureInfo.InvariantCulture)))));
        d.Add(0, "str:expiring", Str("soon gone", expiry));
        d.Add(0, "\x00\xff binary key \r\n", Str("binary"));

        var smallHash = new KeyModel { Type = KeyType.Hash };
        for (int i = 0; i < 5; i++) smallHash.Hash["f" + i] = i % 2 == 0 ? i.ToString(CultureInfo.InvariantCulture) : "v" + i;
        smallHash.Hash["neg"] = "-1234567";
        smallHash.Hash["big"] = "123456789012";
        d.Add(0, "hash:small", smallHash);
        var bigValueHash = new KeyModel { Type = KeyType.Hash };
        bigValueHash.Hash["f"] = new string('x', 200);
        d.Add(0, "hash:bigvalue", bigValueHash);
        var largeHash = new KeyModel { Type = KeyType.Hash, ExpireAtUnixMs = expiry + 1 };
        for (int i = 0; i < 1000 * scale; i++) largeHash.Hash["field:" + i] = i % 3 == 0 ? i.ToString(CultureInfo.InvariantCulture) : Rand(1 + i % 40);
        d.Add(0, "hash:large", largeHash);

        d.Add(0, "set:intset16", SetOf("1", "2", "-3", "300"));
        d.Add(0, "set:intset64", SetOf("1", "4294967296", "-4611686018427387904", "9223372036854775807"));
        d.Add(0, "set:small", SetOf("a", "b", "c", "12"));
        var largeSet = new KeyModel { Type = KeyType.Set };
        for (int i = 0; i < 1000 * scale; i++) largeSet.Set.Add("m" + Rand(1 + i % 30));
        d.Add(0, "set:large", largeSet);
        var largeIntSet = new KeyModel { Type = KeyType.Set };
        for (int i = 0; i < 1000 * scale; i++) largeIntSet.Set.Add((i * 7919L - 3_000_000).ToString(CultureInfo.InvariantCulture));
        d.Add(0, "set:largeints", largeIntSet);

        var smallZset = new KeyModel { Type = KeyType.SortedSet };
        smallZset.SortedSet["a"] = 1; smallZset.SortedSet["b"] = -2.5; smallZset.SortedSet["c"] = 0.1;
        smallZset.SortedSet["inf"] = double.PositiveInfinity; smallZset.SortedSet["-inf"] = double.NegativeInfinity; smallZset.SortedSet["7"] = 1e300;
        d.Add(0, "zset:small", smallZset);
        var largeZset = new KeyModel { Type = KeyType.SortedSet, ExpireAtUnixMs = expiry + 2 };
        for (int i = 0; i < 1000 * scale; i++) largeZset.SortedSet["member:" + Rand(1 + i % 20)] = Math.Round(rnd.NextDouble() * 1e6 - 5e5, i % 5);
        largeZset.SortedSet["pinf"] = double.PositiveInfinity;
        d.Add(0, "zset:large", largeZset);

        d.Add(0, "list:small", ListOf("a", "1", "b", "-2", "300000", "c"));
        var largeList = new KeyModel { Type = KeyType.List };
        for (int i = 0; i < 5000 * scale; i++) largeList.List.Add(i % 4 == 0 ? i.ToString(CultureInfo.InvariantCulture) : "item-" + Rand(i % 50));
        d.Add(0, "list:large", largeList);
        var bigItems = new KeyModel { Type = KeyType.List, ExpireAtUnixMs = expiry + 3 };
        for (int i = 0; i < 20; i++) bigItems.List.Add(new string((char)('a' + i), 10_000 + i));
        d.Add(0, "list:bigitems", bigItems);

        d.Add(1, "db1:str", Str("one"));
        d.Add(1, "db1:hash", new KeyModel { Type = KeyType.Hash, Hash = { ["x"] = "1" } });
        d.Add(1, "str:compressible", Str(new string('z', 100), expiry + 4));
        d.Add(5, "db5:list", ListOf("x", "y"));
        d.Add(5, "db5:zset", new KeyModel { Type = KeyType.SortedSet, SortedSet = { ["m"] = 42 } });
        return d;
    }

    public static byte[] Bytes(Random rnd, int n)
    {
        var b = new byte[n];
        rnd.NextBytes(b);
        return b;
    }

    public static KeyModel Str(string s, long? expireAt = null) => new() { Type = KeyType.String, String = Encoding.Latin1.GetBytes(s), ExpireAtUnixMs = expireAt };

    public static KeyModel SetOf(params string[] members)
    {
        var m = new KeyModel { Type = KeyType.Set };
        foreach (var s in members) m.Set.Add(s);
        return m;
    }

    public static KeyModel ListOf(params string[] items)
    {
        var m = new KeyModel { Type = KeyType.List };
        m.List.AddRange(items);
        return m;
    }

    /// <summary>Fills a Redis-protocol server (SELECT per database).</summary>
    public void FillServer(ValueClient c)
    {
        foreach (var db in Keys.Keys.Select(k => k.Db).Distinct())
        {
            c.Call("SELECT", db);
            c.Pipeline(Keys.Where(k => k.Key.Db == db).SelectMany(k => k.Value.Commands(KeyModel.B(k.Key.Key))));
        }
        c.Call("SELECT", 0);
    }

    /// <summary>Writes a whole RDB file of this dataset.</summary>
    public void WriteRdb(Stream stream)
    {
        var w = new RdbWriter(stream);
        foreach (var db in Keys.Keys.Select(k => k.Db).Distinct())
        {
            var keys = Keys.Where(k => k.Key.Db == db).ToList();
            w.SelectDatabase(db, keys.Count, keys.Count(k => k.Value.ExpireAtUnixMs != null));
            foreach (var (k, v) in keys) v.WriteTo(w, KeyModel.B(k.Key));
        }
        w.Finish();
    }

    /// <summary>Reads a whole RDB file into a dataset.</summary>
    public static Dataset Read(RdbReader reader)
    {
        var d = new Dataset();
        while (reader.TryReadNext(out var e)) d.Keys[(e.Db, KeyModel.S(e.Key))] = KeyModel.FromRdb(e);
        return d;
    }

    /// <summary>Reads every key of the given databases from a server (KEYS * per database).</summary>
    public static Dataset ReadServer(ValueClient c, IEnumerable<int> dbs)
    {
        var d = new Dataset();
        foreach (int db in dbs)
        {
            c.Call("SELECT", db);
            foreach (var k in c.Array("KEYS", "*"))
            {
                var key = (byte[])k!;
                d.Add(db, KeyModel.S(key), KeyModel.FromServer(c, key)!);
            }
        }
        c.Call("SELECT", 0);
        return d;
    }

    /// <summary>Asserts both hold the same keys with the same values, naming the first difference.</summary>
    public static void AssertSame(Dataset expected, Dataset actual, bool withExpiry = true)
    {
        Assert.Equal(expected.Keys.Keys.Select(Name), actual.Keys.Keys.Select(Name));
        foreach (var (k, v) in expected.Keys)
            Assert.True(v.Describe(withExpiry) == actual.Keys[k].Describe(withExpiry), $"key {Name(k)} differs:\nexpected {Trim(v.Describe(withExpiry))}\nactual   {Trim(actual.Keys[k].Describe(withExpiry))}");
    }

    private static string Name((int Db, string Key) k) => $"{k.Db}:{Convert.ToHexString(KeyModel.B(k.Key))}";

    private static string Trim(string s) => s.Length > 400 ? s[..400] + "…" : s;
}
