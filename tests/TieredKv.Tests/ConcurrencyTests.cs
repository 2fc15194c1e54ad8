using System.Text;

namespace TieredKv.Tests;

/// <summary>One key's operations are linearizable; multi-key operations are atomic.</summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly StoreFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task ConcurrentIncrements_OnOneKey_AreNeverLost()
    {
        var db = _f.Db;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++) db.IncrBy(B("counter"), 1);
        })));
        Assert.Equal("4000", Encoding.UTF8.GetString(db.Get(B("counter"))!));
    }

    [Fact]
    public async Task ConcurrentRenames_NeverLoseOrDuplicateTheKey()
    {
        var db = _f.Db;
        db.Set(B("a"), B("payload"));
        // Two threads bounce one key between two names; at every moment exactly one name holds it.
        var tasks = new[] { ("a", "b"), ("b", "a") }.Select(pair => Task.Run(() =>
        {
            for (int i = 0; i < 500; i++)
            {
                try { db.Rename(B(pair.Item1), B(pair.Item2)); }
                catch (TieredKv.Keyspace.KvException) { /* the other thread moved it first */ }
            }
        }));
        var watcher = Task.Run(() =>
        {
            for (int i = 0; i < 500; i++) Assert.Equal(1, db.DbSize());
        });
        await Task.WhenAll([.. tasks, watcher]);
        Assert.Equal(1, db.Exists([B("a"), B("b")]));
        Assert.Equal(1, db.DbSize());
    }
}
