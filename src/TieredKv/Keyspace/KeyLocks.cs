using System.IO.Hashing;

namespace TieredKv.Keyspace;

/// <summary>
/// Striped locks by key hash: one key's operations are serialized (linearizable), different keys
/// mostly run in parallel. Multi-key operations take their stripes in ascending order, so two of
/// them can never wait on each other in a cycle.
/// </summary>
internal sealed class KeyLocks
{
    private const int StripeCount = 1024;
    private readonly object[] _stripes = new object[StripeCount];

    public KeyLocks()
    {
        for (int i = 0; i < StripeCount; i++) _stripes[i] = new object();
    }

    public static int StripeOf(int db, ReadOnlySpan<byte> key) =>
        (int)((XxHash3.HashToUInt64(key, db) >> 20) % StripeCount);

    public Releaser Lock(int db, ReadOnlySpan<byte> key)
    {
        var stripe = _stripes[StripeOf(db, key)];
        Monitor.Enter(stripe);
        return new Releaser(stripe, null);
    }

    /// <summary>Locks every key of a multi-key operation (keys may repeat and may be in different databases).</summary>
    public Releaser LockMany(IEnumerable<(int Db, byte[] Key)> keys)
    {
        var stripes = keys.Select(k => StripeOf(k.Db, k.Key)).Distinct().Order().ToArray();
        foreach (int s in stripes) Monitor.Enter(_stripes[s]);
        return new Releaser(null, stripes.Select(s => _stripes[s]).ToArray());
    }

    public readonly struct Releaser(object? single, object[]? many) : IDisposable
    {
        public void Dispose()
        {
            if (single != null) Monitor.Exit(single);
            if (many != null)
                for (int i = many.Length - 1; i >= 0; i--) Monitor.Exit(many[i]);
        }
    }
}
