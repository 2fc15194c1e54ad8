using Microsoft.Extensions.Logging;
using TieredKv.Keyspace;
using TieredKv.Storage;

namespace TieredKv;

/// <summary>
/// Removes expired keys nobody reads. The expiry index (<c>E | db | expireAt | key</c>) is ordered
/// by time, so each cycle reads only entries already due — exact, with no sampling — and stops
/// after a bounded number of keys and time, so it never starves the operations around it. Hash
/// fields with an expiry are found the same way through their own index (<c>F | db | floor | key</c>).
/// </summary>
internal sealed class ActiveExpiryCycle : IDisposable
{
    private const int MaxKeysPerCycle = 2000;
    private const int MaxFieldsPerHash = 1000;
    private static readonly TimeSpan MaxTimePerCycle = TimeSpan.FromMilliseconds(25);

    private readonly TieredKvStore _store;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;

    public ActiveExpiryCycle(TieredKvStore store, TimeSpan interval)
    {
        _store = store;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "tkv-expiry" };
        _thread.Start();
    }

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(_interval))
        {
            if (!_store.ActiveExpiryEnabled) continue;
            try
            {
                RunOnce();
            }
            catch (Exception e) when (e is IOException or KvException or ObjectDisposedException)
            {
                _store.Logger.LogWarning(e, "active expiry cycle failed; retrying next cycle");
            }
        }
    }

    /// <summary>
    /// One cycle over every database; returns the number of keys and hash fields removed. Keys and
    /// hash fields each have their own budget, so a flood of expiring keys cannot starve field expiry.
    /// </summary>
    public int RunOnce() => ExpireKeys() + ExpireHashFields();

    private int ExpireKeys()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        int removed = 0, visited = 0;
        foreach (var db in _store.Databases)
        {
            long now = _store.NowMs;
            var options = new ReadOptions
            {
                LowerBound = KeyCodec.DatabasePrefix(KeyCodec.ExpiryTag, db.Index),
                UpperBound = KeyCodec.Expiry(db.Index, now + 1, []),
            };
            var due = new List<(long ExpireAt, byte[] Key)>();
            using (var it = _store.Engine.NewIterator(options))
                for (it.SeekToFirst(); it.Valid && due.Count < MaxKeysPerCycle - visited; it.Next())
                    due.Add(KeyCodec.DecodeExpiry(it.Key));
            foreach (var (expireAt, key) in due)
            {
                visited++;
                if (db.ExpireIfDue(key, expireAt)) removed++;
                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > MaxTimePerCycle) return removed;
            }
            if (visited >= MaxKeysPerCycle) break;
        }
        return removed;
    }

    private int ExpireHashFields()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        int removed = 0, visited = 0;
        foreach (var db in _store.Databases)
        {
            removed += ExpireHashFields(db, ref visited, started);
            if (visited >= MaxKeysPerCycle || System.Diagnostics.Stopwatch.GetElapsedTime(started) > MaxTimePerCycle) break;
        }
        return removed;
    }

    /// <summary>
    /// Hash fields: <c>F | db | floor | key</c> lists hashes by a lower bound of their earliest field
    /// expiry, so the entries up to now are exactly the hashes that may have fields due. Each visit
    /// removes up to <see cref="MaxFieldsPerHash"/> of its due fields and moves its entry on. Returns fields removed.
    /// </summary>
    private int ExpireHashFields(KvDatabase db, ref int visited, long started)
    {
        var options = new ReadOptions
        {
            LowerBound = KeyCodec.DatabasePrefix(KeyCodec.HashExpiryTag, db.Index),
            UpperBound = KeyCodec.HashExpiry(db.Index, _store.NowMs + 1, []),
        };
        var due = new List<(long Floor, byte[] Key)>();
        using (var it = _store.Engine.NewIterator(options))
            for (it.SeekToFirst(); it.Valid && due.Count < MaxKeysPerCycle - visited; it.Next())
                due.Add(KeyCodec.DecodeExpiry(it.Key)); // same layout as the key expiry index
        int removed = 0;
        foreach (var (floor, key) in due)
        {
            visited++;
            removed += db.ExpireHashFieldsIfDue(key, floor, MaxFieldsPerHash);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > MaxTimePerCycle) break;
        }
        return removed;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
    }
}
