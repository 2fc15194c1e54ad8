using System.Text;

namespace TieredKv.Tests.Types.Strings;

/// <summary>Random string and key operations against a dictionary model, across demotion, expiry, compaction and reopen.</summary>
public sealed class StringModelTests
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void RandomOperations_MatchDictionaryModel(int seed)
    {
        using var f = new StoreFixture(o => o with { MaxMemoryBytes = 8 * 1024 });
        var rng = new Random(seed);
        var model = new Dictionary<string, (string Value, long ExpireAt)>();
        string Key() => $"k{rng.Next(60)}";
        long now() => f.Clock.NowMs;
        void Expire() { foreach (var k in model.Where(kv => kv.Value.ExpireAt != 0 && kv.Value.ExpireAt <= now()).Select(kv => kv.Key).ToList()) model.Remove(k); }

        for (int op = 0; op < 4000; op++)
        {
            var db = f.Db;
            string k = Key();
            byte[] kb = Encoding.ASCII.GetBytes(k);
            Expire();
            switch (rng.Next(12))
            {
                case 0 or 1 or 2:
                {
                    string v = $"v{op}";
                    long? exp = rng.Next(4) == 0 ? now() + rng.Next(1, 50) : null;
                    db.Set(kb, Encoding.ASCII.GetBytes(v), expireAtMs: exp);
                    model[k] = (v, exp ?? 0);
                    break;
                }
                case 3:
                    Assert.Equal(model.Remove(k) ? 1 : 0, db.Delete(kb));
                    break;
                case 4:
                {
                    string k2 = Key();
                    if (!model.TryGetValue(k, out var entry)) { Assert.Throws<TieredKv.Keyspace.KvException>(() => db.Rename(kb, Encoding.ASCII.GetBytes(k2))); break; }
                    db.Rename(kb, Encoding.ASCII.GetBytes(k2));
                    model.Remove(k);
                    model[k2] = entry;
                    break;
                }
                case 5:
                {
                    long ms = rng.Next(-5, 60);
                    bool exists = model.TryGetValue(k, out var entry);
                    Assert.Equal(exists, db.Expire(kb, TimeSpan.FromMilliseconds(ms)));
                    if (exists)
                    {
                        if (ms <= 0) model.Remove(k);
                        else model[k] = (entry.Value, now() + ms);
                    }
                    break;
                }
                case 6:
                    f.Clock.Advance(TimeSpan.FromMilliseconds(rng.Next(1, 20)));
                    break;
                case 7:
                    if (rng.Next(20) == 0) f.Reopen();
                    else if (rng.Next(10) == 0) f.Store.Engine.CompactRange();
                    break;
                default:
                {
                    var actual = db.Get(kb);
                    Assert.Equal(model.TryGetValue(k, out var entry) ? entry.Value : null, actual == null ? null : Encoding.ASCII.GetString(actual));
                    break;
                }
            }
        }
        Expire();
        foreach (var (k, (v, _)) in model) Assert.Equal(v, Encoding.ASCII.GetString(f.Db.Get(Encoding.ASCII.GetBytes(k))!));
        // Expired keys that nobody touched still count until removed, as in Redis; touch them all first.
        for (int i = 0; i < 60; i++) f.Db.Exists(Encoding.ASCII.GetBytes($"k{i}"));
        Assert.Equal(model.Count, f.Db.DbSize());
    }
}
