using System.Numerics;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// Command latencies in nanoseconds, counted as Redis's HDR histogram counts them (two significant digits:
/// 256 sub-buckets, each power-of-two bucket half as fine as the next), clamped to 1024 ns … 1 s as Redis clamps
/// them. Recording is two interlocked increments into a fixed array: no allocation per call. Percentiles and
/// the log-bucket distribution of LATENCY HISTOGRAM are read off the same counts, so both equal Redis's.
/// </summary>
internal sealed class LatencyHistogram
{
    public const long MinNanos = 1024;
    public const long MaxNanos = 1_000_000_000;
    private const int SubBucketHalfCountMagnitude = 7;
    private const int SubBucketHalfCount = 1 << SubBucketHalfCountMagnitude;
    private const long SubBucketMask = (SubBucketHalfCount << 1) - 1;

    /// <summary>LATENCY HISTOGRAM's first reporting level (ns); each next one doubles it.</summary>
    private const long FirstReportingLevel = 1024;

    /// <summary>Up to the last reporting level at or above <see cref="MaxNanos"/>: LATENCY HISTOGRAM reads up to it.</summary>
    private static readonly int CountsLength = CountsIndex(LastReportingLevel()) + 1;

    private readonly long[] _counts = new long[CountsLength];
    private long _total;

    public long TotalCount => Interlocked.Read(ref _total);

    public void RecordMicros(long micros)
    {
        long nanos = Math.Clamp(micros * 1000, MinNanos, MaxNanos);
        Interlocked.Increment(ref _counts[CountsIndex(nanos)]);
        Interlocked.Increment(ref _total);
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Interlocked.Exchange(ref _total, 0);
    }

    /// <summary>As hdr_value_at_percentile: the highest value equivalent to the one at the percentile's rank (ns).</summary>
    public long ValueAtPercentile(double percentile)
    {
        double requested = Math.Min(percentile, 100.0);
        long rank = Math.Max((long)(requested / 100 * TotalCount + 0.5), 1);
        long cumulative = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            if (cumulative >= rank)
            {
                long value = ValueFromIndex(i);
                return percentile == 0.0 ? value : HighestEquivalent(value);
            }
        }
        return 0;
    }

    /// <summary>
    /// LATENCY HISTOGRAM's distribution: for each power-of-two level from 1024 ns, the level's highest equivalent
    /// value in microseconds and the count of values up to it, only where the count grew since the previous level.
    /// </summary>
    public List<(long Micros, long Cumulative)> CumulativeDistribution()
    {
        var result = new List<(long, long)>();
        long total = TotalCount, cumulative = 0, previous = 0;
        int index = 0;
        for (long level = FirstReportingLevel; cumulative < total && index < _counts.Length; level <<= 1)
        {
            int upTo = Math.Min(CountsIndex(level), _counts.Length - 1);
            for (; index <= upTo; index++) cumulative += Volatile.Read(ref _counts[index]);
            if (cumulative > previous) result.Add((HighestEquivalent(level) / 1000, cumulative));
            previous = cumulative;
        }
        return result;
    }

    private static long LastReportingLevel()
    {
        long level = FirstReportingLevel;
        while (level < MaxNanos) level <<= 1;
        return level;
    }

    private static int BucketIndex(long value) =>
        64 - BitOperations.LeadingZeroCount((ulong)(value | SubBucketMask)) - (SubBucketHalfCountMagnitude + 1);

    private static int CountsIndex(long value)
    {
        int bucket = BucketIndex(value);
        int subBucket = (int)(value >> bucket);
        return ((bucket + 1) << SubBucketHalfCountMagnitude) + (subBucket - SubBucketHalfCount);
    }

    private static long ValueFromIndex(int index)
    {
        int bucket = (index >> SubBucketHalfCountMagnitude) - 1;
        long subBucket = (index & (SubBucketHalfCount - 1)) + SubBucketHalfCount;
        if (bucket < 0)
        {
            subBucket -= SubBucketHalfCount;
            bucket = 0;
        }
        return subBucket << bucket;
    }

    private static long HighestEquivalent(long value)
    {
        int bucket = BucketIndex(value);
        long lowest = (value >> bucket) << bucket;
        return lowest + (1L << bucket) - 1;
    }
}
