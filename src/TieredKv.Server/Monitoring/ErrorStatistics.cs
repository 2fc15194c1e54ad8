using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// INFO's total_error_replies and errorstats: every error reply, counted by its prefix (the first word:
/// ERR, WRONGTYPE, NOAUTH …). Only error replies pay for the lookup; the hot path of a successful command never comes here.
/// </summary>
internal sealed class ErrorStatistics
{
    /// <summary>As Redis, which stops tracking new prefixes past this many (and says so in errorstats).</summary>
    private const int MaxPrefixes = 128;

    private readonly ConcurrentDictionary<string, StrongBox<long>> _byPrefix = new(StringComparer.Ordinal);
    private long _total;

    public long TotalErrorReplies => Interlocked.Read(ref _total);

    public void Count(string error)
    {
        Interlocked.Increment(ref _total);
        int space = error.IndexOf(' ');
        string prefix = space < 0 ? error : error[..space];
        if (!_byPrefix.TryGetValue(prefix, out var count))
        {
            if (_byPrefix.Count >= MaxPrefixes)
            {
                // Redis guards against clients that flood errorstats with made-up prefixes (e.g. from scripts).
                prefix = "ERRORSTATS_DISABLED";
            }
            count = _byPrefix.GetOrAdd(prefix, _ => new StrongBox<long>());
        }
        Interlocked.Increment(ref count.Value);
    }

    /// <summary>Each prefix and its count, in the byte order Redis lists them (its radix tree's order).</summary>
    public List<(string Prefix, long Count)> Snapshot() =>
        [.. _byPrefix.Select(p => (p.Key, Interlocked.Read(ref p.Value.Value))).OrderBy(p => p.Key, StringComparer.Ordinal)];

    public void Reset()
    {
        _byPrefix.Clear();
        Interlocked.Exchange(ref _total, 0);
    }
}
