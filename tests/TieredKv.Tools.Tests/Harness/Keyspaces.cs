using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb;
using TieredKv.Client;

namespace TieredKv.Tools.Tests.Harness;

/// <summary>Every key of an RDB file, a data directory or a running server as <see cref="KeyImage"/>s by "db:key", and their comparison.</summary>
public static class Keyspaces
{
    public static SortedDictionary<string, KeyImage> FromRdb(string path)
    {
        using var f = File.OpenRead(path);
        var reader = new RdbReader(f);
        var keys = new SortedDictionary<string, KeyImage>(StringComparer.Ordinal);
        while (reader.TryReadNext(out var e))
        {
            keys.Add($"{e.Db}:{KeyImage.Text(e.Key)}", e.Type == KeyType.String
                ? KeyImage.OfString(e.Value.StringValue(), e.ExpireAtUnixMs)
                : KeyImage.Of(e.Type, e.Value.Elements().Select(x => (x.Member, x.Value, x.Score)), e.ExpireAtUnixMs));
        }
        Assert.True(reader.ChecksumVerified, $"{path}: checksum not verified");
        return keys;
    }

    public static SortedDictionary<string, KeyImage> FromStore(string dir)
    {
        using var store = TieredKvStore.Open(dir, new TieredKvOptions { ActiveExpiryInterval = TimeSpan.Zero });
        using var snapshot = store.OpenSnapshot();
        var keys = new SortedDictionary<string, KeyImage>(StringComparer.Ordinal);
        for (int db = 0; db < snapshot.DatabaseCount; db++)
        {
            foreach (var k in snapshot.Keys(db))
            {
                keys.Add($"{db}:{KeyImage.Text(k.Key)}", k.Type switch
                {
                    KeyType.String => KeyImage.OfString(k.StringValue(), k.ExpireAtUnixMs),
                    KeyType.Hash => KeyImage.Of(k.Type, k.HashFields().Select(f => (f.Key, (byte[]?)f.Value, 0.0)), k.ExpireAtUnixMs),
                    KeyType.Set => KeyImage.Of(k.Type, k.SetMembers().Select(m => (m, (byte[]?)null, 0.0)), k.ExpireAtUnixMs),
                    KeyType.List => KeyImage.Of(k.Type, k.ListItems().Select(m => (m, (byte[]?)null, 0.0)), k.ExpireAtUnixMs),
                    _ => KeyImage.Of(k.Type, k.SortedSetMembers().Select(m => (m.Key, (byte[]?)null, m.Value)), k.ExpireAtUnixMs),
                });
            }
        }
        return keys;
    }

    /// <summary>Reads through TYPE, the type's read command and PEXPIRETIME (Redis 7.0+) for each SCANned key of databases 0–15.</summary>
    public static SortedDictionary<string, KeyImage> FromServer(RespConnection c)
    {
        var keys = new SortedDictionary<string, KeyImage>(StringComparer.Ordinal);
        for (int db = 0; db < 16; db++)
        {
            c.CallOrThrow("SELECT", db);
            string cursor = "0";
            do
            {
                var page = c.CallOrThrow("SCAN", cursor, "COUNT", 1000).Items!;
                cursor = page[0].ToString();
                foreach (var k in page[1].Items!)
                {
                    byte[] key = k.Bulk!;
                    long expire = c.CallOrThrow("PEXPIRETIME", key).Integer;
                    long? at = expire < 0 ? null : expire;
                    string type = c.CallOrThrow("TYPE", key).Text!;
                    keys[$"{db}:{KeyImage.Text(key)}"] = type switch
                    {
                        "string" => KeyImage.OfString(c.CallOrThrow("GET", key).Bulk!, at),
                        "list" => KeyImage.Of(KeyType.List, c.CallOrThrow("LRANGE", key, 0, -1).Items!.Select(i => (i.Bulk!, (byte[]?)null, 0.0)), at),
                        "set" => KeyImage.Of(KeyType.Set, c.CallOrThrow("SMEMBERS", key).Items!.Select(i => (i.Bulk!, (byte[]?)null, 0.0)), at),
                        "hash" => KeyImage.Of(KeyType.Hash, Pairs(c.CallOrThrow("HGETALL", key)).Select(p => (p.A, (byte[]?)p.B, 0.0)), at),
                        "zset" => KeyImage.Of(KeyType.SortedSet, Pairs(c.CallOrThrow("ZRANGE", key, 0, -1, "WITHSCORES")).Select(p => (p.A, (byte[]?)null, ParseScore(p.B))), at),
                        _ => new KeyImage(type, "", at),
                    };
                }
            } while (cursor != "0");
        }
        c.CallOrThrow("SELECT", 0);
        return keys;
    }

    /// <summary>Same keys, types and values; expiries equal within <paramref name="expiryToleranceMs"/> (an online dump turns PTTL back into a time).</summary>
    public static void AssertSame(SortedDictionary<string, KeyImage> expected, SortedDictionary<string, KeyImage> actual, long expiryToleranceMs = 0)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, want) in expected)
        {
            var got = actual[key];
            Assert.True(want.Type == got.Type && want.Content == got.Content, $"key {key}: expected {want.Type} [{Cut(want.Content)}], got {got.Type} [{Cut(got.Content)}]");
            Assert.True(want.ExpireAtUnixMs == null == (got.ExpireAtUnixMs == null), $"key {key}: expiry {want.ExpireAtUnixMs} vs {got.ExpireAtUnixMs}");
            if (want.ExpireAtUnixMs is long w) Assert.InRange(got.ExpireAtUnixMs!.Value, w - expiryToleranceMs, w + expiryToleranceMs);
        }
    }

    private static string Cut(string s) => s.Length > 200 ? s[..200] + "…" : s;

    private static IEnumerable<(byte[] A, byte[] B)> Pairs(RespReply reply)
    {
        var items = reply.Items!;
        for (int i = 0; i + 1 < items.Count; i += 2) yield return (items[i].Bulk!, items[i + 1].Bulk!);
    }

    private static double ParseScore(byte[] text) => Encoding.ASCII.GetString(text) switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var s => double.Parse(s, CultureInfo.InvariantCulture),
    };
}
