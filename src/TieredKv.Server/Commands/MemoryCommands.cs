using System.Runtime;
using System.Text;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// MEMORY USAGE, STATS, DOCTOR, PURGE, MALLOC-STATS and HELP, with Redis 7.0's names and texts and our
/// process's numbers: the managed heap stands for Redis's allocator, the working set for its RSS.
/// </summary>
internal static class MemoryCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("memory", -2, CommandFlags.ReadOnly, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("memory|usage", -3, CommandFlags.ReadOnly, 2, 2, 1, Usage),
                new CommandSpec("memory|stats", 2, CommandFlags.None, 0, 0, 0, Stats),
                new CommandSpec("memory|doctor", 2, CommandFlags.None, 0, 0, 0, c => c.Reply.WriteVerbatim(MemoryDoctor.Report(MemorySnapshot.Take(c.Server)))),
                new CommandSpec("memory|purge", 2, CommandFlags.None, 0, 0, 0, Purge),
                new CommandSpec("memory|malloc-stats", 2, CommandFlags.None, 0, 0, 0, MallocStats),
                new CommandSpec("memory|help", 2, CommandFlags.None, 0, 0, 0, c => HelpText.Write(c, Help))),
        });
    }

    private static readonly string[] Help =
    [
        "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        "HELP",
        "    Prints this help.",
    ];

    private static void Usage(CommandContext c)
    {
        long samples = 5;
        for (int j = 3; j < c.ArgCount; j++)
        {
            if (c.Args.Is(j, "SAMPLES"u8) && j + 1 < c.ArgCount)
            {
                samples = c.Integer(++j);
                if (samples < 0) throw CommandContext.Syntax();
                if (samples == 0) samples = int.MaxValue;
            }
            else throw CommandContext.Syntax();
        }
        int keyLength = c.Args[2].Length;
        ObjectCommands.Reply(c, (int)Math.Min(samples, int.MaxValue), info => c.Reply.WriteInteger(MemoryEstimate.Bytes(keyLength, info, c.Server.Options)), countLookup: false);
    }

    /// <summary>MEMORY STATS: Redis 7.0's fields in its order; what we do not have (replication, cluster, scripts, AOF buffer) is 0.</summary>
    private static void Stats(CommandContext c)
    {
        var m = MemorySnapshot.Take(c.Server);
        var databases = m.KeysPerDatabase.Select((keys, db) => (keys, db)).Where(d => d.keys > 0).ToList();
        var r = c.Reply;
        r.WriteMapHeader(27 + databases.Count);
        void Field(string name, long value) { r.WriteBulk(name); r.WriteInteger(value); }
        void Ratio(string name, double value) { r.WriteBulk(name); r.WriteDouble((float)value); }
        Field("peak.allocated", m.Peak);
        Field("total.allocated", m.Allocated);
        Field("startup.allocated", 0);
        Field("replication.backlog", 0);
        Field("clients.slaves", 0);
        Field("clients.normal", m.ClientBuffers);
        Field("cluster.links", 0);
        Field("aof.buffer", 0);
        Field("lua.caches", 0);
        Field("functions.caches", 0);
        foreach (var (_, db) in databases)
        {
            // The keyspace lives in the LSM tree and the hot tier, not in per-database hash tables.
            r.WriteBulk($"db.{db}");
            r.WriteMapHeader(3);
            Field("overhead.hashtable.main", 0);
            Field("overhead.hashtable.expires", 0);
            Field("overhead.hashtable.slot-to-keys", 0);
        }
        Field("overhead.total", m.ClientBuffers);
        Field("keys.count", m.Keys);
        Field("keys.bytes-per-key", m.Keys == 0 ? 0 : m.Allocated / m.Keys);
        Field("dataset.bytes", m.Allocated - m.ClientBuffers);
        Ratio("dataset.percentage", m.Allocated == 0 ? 0 : (m.Allocated - m.ClientBuffers) * 100.0 / m.Allocated);
        Ratio("peak.percentage", m.Peak == 0 ? 0 : m.Allocated * 100.0 / m.Peak);
        Field("allocator.allocated", m.Allocated);
        Field("allocator.active", m.HeapSize);
        Field("allocator.resident", m.Committed);
        Ratio("allocator-fragmentation.ratio", m.Allocated == 0 ? 0 : (double)m.HeapSize / m.Allocated);
        Field("allocator-fragmentation.bytes", m.HeapSize - m.Allocated);
        Ratio("allocator-rss.ratio", m.HeapSize == 0 ? 0 : (double)m.Committed / m.HeapSize);
        Field("allocator-rss.bytes", m.Committed - m.HeapSize);
        Ratio("rss-overhead.ratio", m.Committed == 0 ? 0 : (double)m.Rss / m.Committed);
        Field("rss-overhead.bytes", m.Rss - m.Committed);
        Ratio("fragmentation", m.Allocated == 0 ? 0 : (double)m.Rss / m.Allocated);
        Field("fragmentation.bytes", m.Rss - m.Allocated);
    }

    /// <summary>MEMORY PURGE: a full, compacting collection (the large object heap included) gives freed pages back, as jemalloc's purge does.</summary>
    private static void Purge(CommandContext c)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        c.Reply.WriteOk();
    }

    /// <summary>MEMORY MALLOC-STATS: the garbage collector's report, where Redis prints jemalloc's.</summary>
    private static void MallocStats(CommandContext c)
    {
        var info = GC.GetGCMemoryInfo();
        var sb = new StringBuilder("___ Begin .NET GC statistics ___\n");
        void Line(string name, object value) => sb.Append(name).Append(": ").Append(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        Line("server_gc", GCSettings.IsServerGC);
        Line("latency_mode", GCSettings.LatencyMode);
        Line("total_allocated_bytes", GC.GetTotalAllocatedBytes());
        Line("heap_size_bytes", info.HeapSizeBytes);
        Line("fragmented_bytes", info.FragmentedBytes);
        Line("committed_bytes", info.TotalCommittedBytes);
        Line("total_available_memory_bytes", info.TotalAvailableMemoryBytes);
        Line("memory_load_bytes", info.MemoryLoadBytes);
        Line("pinned_objects", info.PinnedObjectsCount);
        Line("pause_time_percentage", info.PauseTimePercentage);
        for (int gen = 0; gen <= GC.MaxGeneration; gen++) Line($"gen{gen}_collections", GC.CollectionCount(gen));
        for (int i = 0; i < info.GenerationInfo.Length; i++)
            Line($"generation{i}", $"size_before={info.GenerationInfo[i].SizeBeforeBytes},size_after={info.GenerationInfo[i].SizeAfterBytes}");
        sb.Append("--- End .NET GC statistics ---\n");
        c.Reply.WriteVerbatim(sb.ToString());
    }
}
