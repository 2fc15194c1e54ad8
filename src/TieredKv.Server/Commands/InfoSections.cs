using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Monitoring;

namespace TieredKv.Server.Commands;

/// <summary>
/// The fields of each INFO section, named as Redis 7.0 names them. Where a Redis mechanism does not exist here
/// (forks, replication, Lua, defragmentation) the field says so with Redis's own idle value;
/// the rest report our equivalent: the WAL for the AOF, the .NET heap for the allocator, all threads for the main thread.
/// </summary>
internal sealed class InfoSections(ServerState server)
{
    private readonly Lazy<StoreStatistics> _stats = new(server.Store.GetStatistics);
    private readonly Lazy<Process> _process = new(Process.GetCurrentProcess);
    private StringBuilder _sb = new();

    private StoreStatistics Stats => _stats.Value;
    private Process Process => _process.Value;
    private ServerMonitoring Monitoring => server.Monitoring;

    public void Write(string section, StringBuilder sb)
    {
        _sb = sb;
        switch (section)
        {
            case "server": Server(); break;
            case "clients": Clients(); break;
            case "memory": Memory(); break;
            case "persistence": Persistence(); break;
            case "stats": StatsSection(); break;
            case "replication": Replication(); break;
            case "cpu": Cpu(); break;
            case "modules": break; // no modules: Redis prints the header alone too
            case "commandstats": CommandStats(); break;
            case "errorstats": ErrorStats(); break;
            case "latencystats": LatencyStats(); break;
            case "cluster": Line("cluster_enabled", 0); break;
            case "tieredkv": TieredKv(); break;
            case "keyspace": Keyspace(); break;
        }
    }

    private void Line(string key, string value) => _sb.Append(key).Append(':').Append(value).Append("\r\n");

    private void Line(string key, long value) => _sb.Append(key).Append(':').Append(value.ToString(CultureInfo.InvariantCulture)).Append("\r\n");

    private void Line(string key, double value, string format) => Line(key, value.ToString(format, CultureInfo.InvariantCulture));

    private void Server()
    {
        var now = DateTimeOffset.UtcNow;
        long uptime = (long)(DateTime.UtcNow - server.StartedAt).TotalSeconds;
        Line("redis_version", ServerCommands.CompatibleVersion);
        Line("tieredkv_version", typeof(ServerCommands).Assembly.GetName().Version?.ToString() ?? "0");
        Line("redis_git_sha1", "00000000");
        Line("redis_git_dirty", 0);
        Line("redis_build_id", BuildId());
        Line("redis_mode", "standalone");
        Line("os", OperatingSystemName());
        Line("arch_bits", IntPtr.Size * 8);
        // .NET's Stopwatch reads CLOCK_MONOTONIC on Linux: the same clock as Redis's default build.
        Line("monotonic_clock", OperatingSystem.IsLinux() ? "POSIX clock_gettime" : $"Stopwatch {Stopwatch.Frequency} Hz");
        Line("multiplexing_api", OperatingSystem.IsLinux() ? "epoll" : OperatingSystem.IsWindows() ? "iocp" : "kqueue");
        Line("atomicvar_api", "dotnet-interlocked");
        Line("gcc_version", "0.0.0"); // not built with gcc: Redis's value then
        Line("process_id", Environment.ProcessId);
        Line("process_supervised", "no");
        Line("run_id", server.RunId);
        Line("tcp_port", Monitoring.ListeningPort);
        Line("server_time_usec", (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
        Line("uptime_in_seconds", uptime);
        Line("uptime_in_days", uptime / 86400);
        Line("hz", 10);
        Line("configured_hz", 10);
        // Redis's LRU clock: seconds, in 24 bits.
        Line("lru_clock", now.ToUnixTimeSeconds() & ((1 << 24) - 1));
        Line("executable", Environment.ProcessPath ?? "");
        Line("config_file", server.Options.ConfigFile is { } file ? Path.GetFullPath(file) : "");
        Line("io_threads_active", 0);
    }

    private static string BuildId()
    {
        var version = typeof(ServerCommands).Assembly.ManifestModule.ModuleVersionId.ToByteArray();
        return Convert.ToHexString(version, 0, 8).ToLowerInvariant();
    }

    /// <summary>As Redis's uname line: system, kernel release, machine.</summary>
    private static string OperatingSystemName()
    {
        string machine = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            var other => other.ToString().ToLowerInvariant(),
        };
        if (OperatingSystem.IsLinux())
        {
            string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.Version.ToString();
            return $"Linux {release} {machine}";
        }
        return $"{RuntimeInformation.OSDescription} {machine}";
    }

    private void Clients()
    {
        var clients = server.Clients.Values;
        Line("connected_clients", server.Clients.Count);
        Line("cluster_connections", 0);
        Line("maxclients", server.Options.MaxClients);
        Line("client_recent_max_input_buffer", Monitoring.RecentInputBuffer.Max);
        Line("client_recent_max_output_buffer", Monitoring.RecentOutputBuffer.Max);
        Line("blocked_clients", server.Blocked.Count);
        Line("tracking_clients", server.Tracking.ClientCount);
        Line("clients_in_timeout_table", clients.Count(s => s.BlockDeadline is > 0));
    }

    private void Memory()
    {
        var gc = GC.GetGCMemoryInfo();
        long used = GC.GetTotalMemory(false);
        long rss = Process.WorkingSet64;
        long peak = Monitoring.UsedMemoryPeak(used);
        long startup = Monitoring.UsedMemoryStartup;
        // The dataset is what the hot tier holds in memory; the rest of the heap is the server's own.
        long dataset = Math.Min(Stats.HotBytes, used);
        long overhead = used - dataset;
        // The GC heap is the allocator: bytes in use, and the memory it has committed (known after the first collection).
        long allocated = used;
        long active = Math.Max(gc.TotalCommittedBytes, used);
        long clientsNormal = server.Clients.Values.Sum(s => s.Outbox?.QueuedBytes ?? 0);
        Line("used_memory", used);
        Line("used_memory_human", Human(used));
        Line("used_memory_rss", rss);
        Line("used_memory_rss_human", Human(rss));
        Line("used_memory_peak", peak);
        Line("used_memory_peak_human", Human(peak));
        Line("used_memory_peak_perc", Percent(peak == 0 ? 0 : used * 100.0 / peak));
        Line("used_memory_overhead", overhead);
        Line("used_memory_startup", startup);
        Line("used_memory_dataset", dataset);
        Line("used_memory_dataset_perc", Percent(used > startup ? dataset * 100.0 / (used - startup) : 0));
        Line("allocator_allocated", allocated);
        Line("allocator_active", active);
        Line("allocator_resident", rss);
        Line("total_system_memory", gc.TotalAvailableMemoryBytes);
        Line("total_system_memory_human", Human(gc.TotalAvailableMemoryBytes));
        // No Lua, scripts or functions here.
        foreach (var name in (string[])["used_memory_lua", "used_memory_vm_eval"]) Line(name, 0);
        Line("used_memory_lua_human", Human(0));
        foreach (var name in (string[])["used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions", "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total"])
            Line(name, 0);
        Line("used_memory_vm_total_human", Human(0));
        Line("used_memory_functions", 0);
        Line("used_memory_scripts", 0);
        Line("used_memory_scripts_human", Human(0));
        Line("maxmemory", server.Options.MaxMemory);
        Line("maxmemory_human", Human(server.Options.MaxMemory));
        // maxmemory bounds the hot tier: keys beyond it move to disk, none is ever evicted.
        Line("maxmemory_policy", "tiered");
        Line("allocator_frag_ratio", Ratio(active, allocated), "F2");
        Line("allocator_frag_bytes", active - allocated);
        Line("allocator_rss_ratio", Ratio(rss, active), "F2");
        Line("allocator_rss_bytes", rss - active);
        Line("rss_overhead_ratio", Ratio(rss, rss), "F2");
        Line("rss_overhead_bytes", 0);
        Line("mem_fragmentation_ratio", Ratio(rss, used), "F2");
        Line("mem_fragmentation_bytes", rss - used);
        Line("mem_not_counted_for_evict", 0);
        Line("mem_replication_backlog", 0);
        Line("mem_total_replication_buffers", 0);
        Line("mem_clients_slaves", 0);
        Line("mem_clients_normal", clientsNormal);
        Line("mem_cluster_links", 0);
        Line("mem_aof_buffer", Stats.Engine.MemTableBytes);
        Line("mem_allocator", $"dotnet-gc-{(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        Line("active_defrag_running", 0);
        Line("lazyfree_pending_objects", 0);
        Line("lazyfreed_objects", 0);
        Line("hot_tier_used_bytes", Stats.HotBytes);
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;

    private static string Percent(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "%";

    /// <summary>Redis's bytesToHuman: B below 1024, else K, M, G, T, P with two decimals.</summary>
    public static string Human(long bytes)
    {
        if (bytes < 1024) return $"{bytes}B";
        string[] units = ["K", "M", "G", "T", "P"];
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("F2", CultureInfo.InvariantCulture) + units[unit];
    }

    private void Persistence()
    {
        var saver = server.Saver;
        var engine = Stats.Engine;
        Line("loading", 0);
        Line("async_loading", 0);
        // Saves read a snapshot of the store: no fork, no copy-on-write.
        foreach (var name in (string[])["current_cow_peak", "current_cow_size", "current_cow_size_age"]) Line(name, 0);
        Line("current_fork_perc", "0.00");
        Line("current_save_keys_processed", 0);
        Line("current_save_keys_total", 0);
        Line("rdb_changes_since_last_save", saver.ChangesSinceLastSave);
        Line("rdb_bgsave_in_progress", saver.InProgress ? 1 : 0);
        Line("rdb_last_save_time", saver.LastSaveUnixSeconds);
        Line("rdb_last_bgsave_status", saver.LastBackgroundOk ? "ok" : "err");
        Line("rdb_last_bgsave_time_sec", saver.LastBackgroundSeconds);
        Line("rdb_current_bgsave_time_sec", saver.CurrentBackgroundSeconds);
        Line("rdb_saves", saver.Saves);
        Line("rdb_last_cow_size", 0);
        Line("rdb_last_load_keys_expired", 0);
        Line("rdb_last_load_keys_loaded", 0);
        // The WAL is our append-only file: always on, never rewritten (compaction replaces rewrites).
        Line("aof_enabled", 1);
        Line("aof_rewrite_in_progress", 0);
        Line("aof_rewrite_scheduled", 0);
        Line("aof_last_rewrite_time_sec", -1);
        Line("aof_current_rewrite_time_sec", -1);
        Line("aof_last_bgrewrite_status", "ok");
        Line("aof_rewrites", 0);
        Line("aof_rewrites_consecutive_failures", 0);
        // Redis's field for a failed AOF write: writes are refused (MISCONF) until a retry succeeds.
        Line("aof_last_write_status", engine.WriteError == null ? "ok" : "err");
        Line("aof_last_cow_size", 0);
        Line("module_fork_in_progress", 0);
        Line("module_fork_last_cow_size", 0);
        Line("aof_current_size", engine.WalBytesWritten);
        Line("aof_buffer_length", 0);
        Line("aof_delayed_fsync", 0);
        Line("appendfsync", server.Options.Get("appendfsync")!);
        Line("wal_bytes_written", engine.WalBytesWritten);
        Line("wal_syncs", engine.WalSyncs);
        // Under always: how many connections' command batches one group fsync made durable.
        Line("wal_sync_waits", engine.WalSyncWaits);
        Line("wal_commits_per_sync", engine.WalSyncs == 0 ? "0.00" : (engine.WalSyncWaits / (double)engine.WalSyncs).ToString("F2", CultureInfo.InvariantCulture));
    }

    private void StatsSection()
    {
        var m = Monitoring;
        Line("total_connections_received", server.ConnectionsReceived);
        Line("total_commands_processed", server.CommandsProcessed);
        Line("instantaneous_ops_per_sec", (long)m.OpsPerSecond.PerSecond);
        Line("total_net_input_bytes", m.NetInputBytes);
        Line("total_net_output_bytes", m.NetOutputBytes);
        Line("total_net_repl_input_bytes", 0);
        Line("total_net_repl_output_bytes", 0);
        Line("instantaneous_input_kbps", m.InputBytesPerSecond.PerSecond / 1024, "F2");
        Line("instantaneous_output_kbps", m.OutputBytesPerSecond.PerSecond / 1024, "F2");
        Line("instantaneous_input_repl_kbps", "0.00");
        Line("instantaneous_output_repl_kbps", "0.00");
        Line("rejected_connections", server.RejectedConnections);
        foreach (var name in (string[])["sync_full", "sync_partial_ok", "sync_partial_err"]) Line(name, 0);
        Line("expired_keys", Stats.ExpiredKeys);
        Line("expired_stale_perc", "0.00");
        Line("expired_time_cap_reached_count", 0);
        Line("expire_cycle_cpu_milliseconds", 0);
        // Nothing is evicted: past maxmemory keys move to disk.
        foreach (var name in (string[])["evicted_keys", "evicted_clients", "total_eviction_exceeded_time", "current_eviction_exceeded_time"]) Line(name, 0);
        // As Redis: lookups by read commands that found their key, or not (the hot tier's own hits are hot_hits).
        Line("keyspace_hits", server.Store.Lookups.Hits);
        Line("keyspace_misses", server.Store.Lookups.Misses);
        Line("pubsub_channels", server.PubSub.ActiveChannels(null).Count);
        Line("pubsub_patterns", server.PubSub.PatternCount);
        Line("pubsubshard_channels", 0);
        Line("latest_fork_usec", 0);
        Line("total_forks", 0);
        Line("migrate_cached_sockets", 0);
        Line("slave_expires_tracked_keys", 0);
        foreach (var name in (string[])["active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits", "active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time"])
            Line(name, 0);
        Line("tracking_total_keys", server.Tracking.KeyCount);
        Line("tracking_total_items", server.Tracking.ItemCount);
        Line("tracking_total_prefixes", server.Tracking.PrefixCount);
        Line("unexpected_error_replies", 0);
        Line("total_error_replies", m.Errors.TotalErrorReplies);
        Line("dump_payload_sanitizations", 0);
        Line("total_reads_processed", m.ReadsProcessed);
        Line("total_writes_processed", m.WritesProcessed);
        Line("io_threaded_reads_processed", 0);
        Line("io_threaded_writes_processed", 0);
        Line("reply_buffer_shrinks", 0);
        Line("reply_buffer_expands", 0);
    }

    private void Replication()
    {
        Line("role", "master");
        Line("connected_slaves", 0);
        Line("master_failover_state", "no-failover");
        Line("master_replid", Monitoring.ReplicationId);
        Line("master_replid2", new string('0', 40));
        Line("master_repl_offset", 0);
        Line("second_repl_offset", -1);
        Line("repl_backlog_active", 0);
        Line("repl_backlog_size", 1048576);
        Line("repl_backlog_first_byte_offset", 0);
        Line("repl_backlog_histlen", 0);
    }

    private void Cpu()
    {
        string sys = Process.PrivilegedProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);
        string user = Process.UserProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture);
        Line("used_cpu_sys", sys);
        Line("used_cpu_user", user);
        Line("used_cpu_sys_children", "0.000000"); // saves run in-process: no children
        Line("used_cpu_user_children", "0.000000");
        // Commands run on every thread of the pool, not one main thread: the process's time stands for it.
        Line("used_cpu_sys_main_thread", sys);
        Line("used_cpu_user_main_thread", user);
    }

    /// <summary>Every command (and subcommand) called, rejected or failed since start or CONFIG RESETSTAT.</summary>
    private IEnumerable<CommandSpec> CommandsWithStatistics()
    {
        foreach (var spec in server.Commands.Originals)
        {
            if (spec.Statistics.HasActivity) yield return spec;
            foreach (var sub in spec.Subcommands?.Values ?? [])
                if (sub.Statistics.HasActivity) yield return sub;
        }
    }

    private void CommandStats()
    {
        foreach (var spec in CommandsWithStatistics())
        {
            var s = spec.Statistics;
            long calls = s.Calls, micros = s.Micros;
            Line($"cmdstat_{spec.Name}", string.Create(CultureInfo.InvariantCulture,
                $"calls={calls},usec={micros},usec_per_call={(calls == 0 ? 0 : (double)micros / calls):F2},rejected_calls={s.RejectedCalls},failed_calls={s.FailedCalls}"));
        }
    }

    private void ErrorStats()
    {
        foreach (var (prefix, count) in Monitoring.Errors.Snapshot()) Line($"errorstat_{prefix}", $"count={count}");
    }

    private void LatencyStats()
    {
        var percentiles = server.Options.LatencyTrackingInfoPercentiles;
        foreach (var spec in CommandsWithStatistics())
        {
            if (spec.Statistics.Histogram is not { } histogram) continue;
            var value = new StringBuilder();
            for (int i = 0; i < percentiles.Length; i++)
            {
                if (i > 0) value.Append(',');
                // Redis prints the percentile with %f and trims the zeros: 50, 99, 99.9.
                value.Append('p').Append(Math.Round(percentiles[i], 6).ToString("0.######", CultureInfo.InvariantCulture))
                    .Append('=').Append((histogram.ValueAtPercentile(percentiles[i]) / 1000.0).ToString("F3", CultureInfo.InvariantCulture));
            }
            Line($"latency_percentiles_usec_{spec.Name}", value.ToString());
        }
    }

    private void TieredKv()
    {
        var e = Stats.Engine;
        Line("hot_keys", Stats.HotKeys);
        Line("hot_bytes", Stats.HotBytes);
        Line("hot_hits", Stats.HotHits);
        Line("hot_misses", Stats.HotMisses);
        Line("promotions", Stats.Promotions);
        Line("demotions", Stats.Demotions);
        Line("lsm_last_sequence", (long)e.LastSequence);
        Line("lsm_memtable_bytes", e.MemTableBytes);
        Line("lsm_immutable_memtables", e.ImmutableMemTables);
        foreach (var level in e.Levels.Where(l => l.Files > 0))
            Line($"lsm_level_{level.Level}", $"files={level.Files},bytes={level.Bytes},written={level.BytesWritten},read={level.BytesRead}");
        Line("lsm_write_amplification", e.WriteAmplification, "F2");
        Line("lsm_flushes", e.FlushCount);
        Line("lsm_compactions", e.CompactionCount);
        Line("lsm_stall_slowdowns", e.StallSlowdowns);
        Line("lsm_stall_stops", e.StallStops);
        Line("lsm_stall_micros", e.StallMicros);
        Line("lsm_wal_sync_micros", e.WalSyncMicros);
        Line("lsm_flush_micros", e.FlushMicros);
        Line("lsm_compaction_micros", e.CompactionMicros);
        Line("lsm_block_cache_hit_rate", e.BlockCacheHitRate, "F4");
        Line("lsm_background_errors", e.BackgroundErrors);
        if (e.LastBackgroundError != null) Line("lsm_last_background_error", e.LastBackgroundError.Replace('\n', ' '));
    }

    private void Keyspace()
    {
        var keys = Stats.KeysPerDatabase;
        // avg_ttl: Redis's is a running estimate from the keys its expiry cycle samples; ours is the exact mean,
        // kept with the count of keys with a TTL (the same figure Redis's estimate converges to).
        for (int db = 0; db < keys.Count; db++)
        {
            if (keys[db] == 0) continue;
            var database = server.Store[db];
            Line($"db{db}", string.Create(CultureInfo.InvariantCulture, $"keys={keys[db]},expires={database.ExpiresCount()},avg_ttl={database.AverageTtl()}"));
        }
    }
}
