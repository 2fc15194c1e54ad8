namespace TieredKv.Keyspace;

/// <summary>
/// Redis's keyspace_hits and keyspace_misses: how many key lookups by read commands found their key, and how many
/// did not (an expired key is a miss). Lock-free counters, reset by CONFIG RESETSTAT.
/// </summary>
public sealed class KeyLookupCounters
{
    private long _hits, _misses;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    internal void Count(bool found)
    {
        if (found) Interlocked.Increment(ref _hits);
        else Interlocked.Increment(ref _misses);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _hits, 0);
        Interlocked.Exchange(ref _misses, 0);
    }
}
