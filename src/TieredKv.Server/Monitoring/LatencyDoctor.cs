using System.Globalization;
using System.Text;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// LATENCY DOCTOR's report, in Redis's words: each event's spike count, average, mean deviation, period and
/// worst, then the advice its events call for. Our engine's events (<see cref="EngineLatencyEvents"/>) get advice of their own.
/// </summary>
internal static class LatencyDoctor
{
    private const string Disabled =
        "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";

    private const string NoSpikes =
        "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n";

    public static string Report(LatencyMonitor monitor, long thresholdMs, long slowlogSlowerThanMicros, bool fsyncAlways, long nowUnixSeconds)
    {
        var events = monitor.All();
        if (events.Count == 0 && thresholdMs == 0) return Disabled;
        var advice = new SortedSet<Advice>();
        var sb = new StringBuilder();
        int number = 0;
        foreach (var (name, maxMs, samples) in events)
        {
            number++;
            if (number == 1) sb.Append("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
            var (count, average, deviation, period) = Analyze(samples, nowUnixSeconds);
            sb.Append(CultureInfo.InvariantCulture,
                $"{number}. {name}: {count} latency spikes (average {average}ms, mean deviation {deviation}ms, period {(count == 0 ? 0 : (double)period / count):F2} sec). Worst all time event {maxMs}ms.");
            AdviceFor(name, thresholdMs, slowlogSlowerThanMicros, advice);
            sb.Append('\n');
        }
        if (number == 0 && advice.Count == 0) return NoSpikes;
        if (advice.Count == 0)
        {
            sb.Append("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
            return sb.ToString();
        }
        sb.Append("\nI have a few advices for you:\n\n");
        foreach (var a in advice)
        {
            string? text = Text(a, thresholdMs, fsyncAlways);
            if (text != null) sb.Append("- ").Append(text).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>As Redis's analysis: samples, integer average, integer mean absolute deviation, and seconds since the oldest (at least 1).</summary>
    private static (int Count, long Average, long Deviation, long Period) Analyze(List<(long UnixSeconds, long LatencyMs)> samples, long now)
    {
        if (samples.Count == 0) return (0, 0, 0, 0);
        long average = samples.Sum(s => s.LatencyMs) / samples.Count;
        long oldest = samples.Min(s => s.UnixSeconds);
        long period = Math.Max(now - oldest, 1);
        long deviation = samples.Sum(s => Math.Abs(average - s.LatencyMs)) / samples.Count;
        return (samples.Count, average, deviation, period);
    }

    private static void AdviceFor(string name, long thresholdMs, long slowlogSlowerThanMicros, SortedSet<Advice> advice)
    {
        switch (name)
        {
            case LatencyMonitor.CommandEvent:
                if (slowlogSlowerThanMicros < 0) advice.Add(Advice.SlowlogEnable);
                else if (slowlogSlowerThanMicros / 1000 > thresholdMs) advice.Add(Advice.SlowlogTuning);
                advice.Add(Advice.SlowlogInspect);
                advice.Add(Advice.LargeObjects);
                break;
            case LatencyMonitor.FastCommandEvent:
                advice.Add(Advice.Scheduler);
                break;
            case EngineLatencyEvents.WalFsync:
                advice.Add(Advice.LocalDisk);
                advice.Add(Advice.Ssd);
                advice.Add(Advice.RelaxFsync);
                break;
            case EngineLatencyEvents.MemtableFlush or EngineLatencyEvents.Compaction:
                advice.Add(Advice.DiskContention);
                advice.Add(Advice.Ssd);
                break;
            case EngineLatencyEvents.WriteStall:
                advice.Add(Advice.WriteStall);
                break;
        }
    }

    private static string? Text(Advice advice, long thresholdMs, bool fsyncAlways) => advice switch
    {
        Advice.SlowlogEnable => $"There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {thresholdMs * 1000}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.",
        Advice.SlowlogTuning => $"Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {thresholdMs * 1000}'.",
        Advice.SlowlogInspect => "Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.",
        Advice.Scheduler => "The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n" +
            "  1) Lower the system load.\n" +
            "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n" +
            "  3) Check if you have a \"noisy neighbour\" problem.\n" +
            "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n" +
            "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.",
        Advice.LocalDisk => "It is strongly advised to use local disks for persistence, especially if you are using AOF. Remote disks provided by platform-as-a-service providers are known to be slow.",
        Advice.Ssd => "SSD disks are able to reduce fsync latency, and total time needed for snapshotting and AOF log rewriting (resulting in smaller memory usage). With extremely high write load SSD disks can be a good option. However Redis should perform reasonably with high load using normal disks. Use this advice as a last resort.",
        Advice.DiskContention => "Try to lower the disk contention. This is often caused by other disk intensive processes running in the same computer (including other Redis instances).",
        Advice.RelaxFsync => fsyncAlways ? "Your fsync policy is set to 'always'. It is very hard to get good performances with such a setup, if possible try to relax the fsync policy to 'onesec'." : null,
        Advice.LargeObjects => "Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.",
        Advice.WriteStall => "Writes were stalled while the storage engine's memtable flushes and level-0 compactions caught up. Write bursts larger than the write buffer, or a disk too slow for the write rate, cause this: spread the writes out or use a faster disk.",
        _ => null,
    };

    /// <summary>In the order the report gives them.</summary>
    private enum Advice
    {
        SlowlogEnable,
        SlowlogTuning,
        SlowlogInspect,
        Scheduler,
        LocalDisk,
        Ssd,
        DiskContention,
        RelaxFsync,
        LargeObjects,
        WriteStall,
    }
}
