using System.Globalization;
using System.Text;
using TieredKv.Storage;

namespace TieredKv.Benchmarks.DbBench;

/// <summary>Human-readable dump of <see cref="DbStatistics"/>: LSM shape, write amplification, stalls, caches.</summary>
public static class StatisticsReport
{
    public static string Format(DbStatistics s)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine("  level  files      size(MB)    target(MB)   written(MB)      read(MB)");
        foreach (var l in s.Levels)
        {
            if (l.Files == 0 && l.BytesWritten == 0 && l.BytesRead == 0) continue;
            sb.AppendLine(string.Create(inv,
                $"  L{l.Level,-4} {l.Files,6} {Mb(l.Bytes),13:F1} {Mb(l.TargetBytes),13:F1} {Mb(l.BytesWritten),13:F1} {Mb(l.BytesRead),13:F1}"));
        }
        sb.AppendLine(string.Create(inv,
            $"  user written {Mb(s.UserBytesWritten):F1} MB; WAL {Mb(s.WalBytesWritten):F1} MB ({s.WalSyncs} syncs); flushes {s.FlushCount} ({Mb(s.FlushBytesWritten):F1} MB); compactions {s.CompactionCount} (+{s.TrivialMoves} trivial moves)"));
        sb.AppendLine(string.Create(inv,
            $"  write amplification {s.WriteAmplification:F2} (tables); total {s.TotalWriteAmplification:F2} (tables + WAL)"));
        sb.AppendLine(string.Create(inv,
            $"  write groups {s.WriteGroups} for {s.WriteBatches} batches ({(s.WriteGroups == 0 ? 0 : (double)s.WriteBatches / s.WriteGroups):F2} batches/group)"));
        sb.AppendLine(string.Create(inv,
            $"  stalls: {s.StallSlowdowns} slowdowns, {s.StallStops} stops, {s.StallMicros / 1000.0:F1} ms stalled"));
        sb.AppendLine(string.Create(inv,
            $"  block cache: hit rate {s.BlockCacheHitRate:P1} ({s.BlockCacheHits} hits, {s.BlockCacheMisses} misses), usage {Mb(s.BlockCacheUsage):F1}/{Mb(s.BlockCacheCapacity):F1} MB; table block reads {s.TableBlockReads}"));
        sb.AppendLine(string.Create(inv,
            $"  bloom: {s.BloomChecks} checks, {s.BloomUseful} useful; memtables {Mb(s.MemTableBytes):F1} MB, {s.ImmutableMemTables} immutable; background errors {s.BackgroundErrors}{(s.LastBackgroundError is null ? "" : " (" + s.LastBackgroundError + ")")}"));
        return sb.ToString();
    }

    private static double Mb(long bytes) => bytes / (1024.0 * 1024.0);
}
