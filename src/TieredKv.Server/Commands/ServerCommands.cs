using System.Diagnostics;
using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>DBSIZE, FLUSHDB, FLUSHALL, TIME, INFO, SHUTDOWN (CONFIG: <see cref="ConfigCommands"/>; COMMAND: <see cref="CommandIntrospection"/>).</summary>
internal static class ServerCommands
{
    /// <summary>The Redis version we answer to: the one whose behaviour we follow.</summary>
    public const string CompatibleVersion = "7.0.15";

    public static void Register(CommandTable t)
    {
        t.Add(new("dbsize", 1, CommandFlags.ReadOnly | CommandFlags.Fast, 0, 0, 0, c => c.Reply.WriteInteger(c.Db.DbSize())));
        t.Add(new("flushdb", -1, CommandFlags.Write, 0, 0, 0, FlushDb));
        t.Add(new("flushall", -1, CommandFlags.Write, 0, 0, 0, FlushAll));
        t.Add(new("time", 1, CommandFlags.Fast, 0, 0, 0, Time));
        t.Add(new("info", -1, CommandFlags.None, 0, 0, 0, Info));
        t.Add(new("shutdown", -1, CommandFlags.Admin | CommandFlags.NoMulti, 0, 0, 0, Shutdown));
        ConfigCommands.Register(t);
    }

    internal static IReadOnlyDictionary<string, CommandSpec> Subs(params CommandSpec[] specs) =>
        specs.ToDictionary(s => s.Name[(s.Name.IndexOf('|') + 1)..], StringComparer.OrdinalIgnoreCase);

    /// <summary>Dispatches a container command (CONFIG, COMMAND …) to its subcommand.</summary>
    internal static void Sub(CommandContext c, string container)
    {
        c.Server.Commands.TryGet(container, out var spec);
        string sub = c.Text(1);
        if (!spec!.Subcommands!.TryGetValue(sub, out var subSpec))
            throw new KvException($"ERR unknown subcommand '{sub}'. Try {c.Text(0).ToUpperInvariant()} HELP."); // the name as typed, renamed or not
        if (!subSpec.ArityMatches(c.ArgCount)) throw new KvException($"ERR wrong number of arguments for '{subSpec.Name}' command");
        c.Client.LastCommand = subSpec.Name; // CLIENT LIST's cmd= names the subcommand, as Redis 7
        Dispatcher.Run(c, subSpec);
    }

    private static void CheckFlushMode(CommandContext c)
    {
        if (c.ArgCount > 2 || (c.ArgCount == 2 && !c.Args.Is(1, "ASYNC"u8) && !c.Args.Is(1, "SYNC"u8))) throw CommandContext.Syntax();
    }

    private static void FlushDb(CommandContext c)
    {
        CheckFlushMode(c);
        c.Db.FlushDb(); // O(1) either way: ASYNC and SYNC both return at once
        c.Server.Tracking.InvalidateAll();
        c.Reply.WriteOk();
    }

    private static void FlushAll(CommandContext c)
    {
        CheckFlushMode(c);
        c.Server.Store.FlushAll();
        c.Server.Tracking.InvalidateAll();
        c.Reply.WriteOk();
    }

    private static void Time(CommandContext c)
    {
        long micros = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + (Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000)) % 1000;
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulk(CommandContext.Format(micros / 1_000_000));
        c.Reply.WriteBulk(CommandContext.Format(micros % 1_000_000));
    }

    private static void Shutdown(CommandContext c)
    {
        for (int i = 1; i < c.ArgCount; i++)
            if (!(c.Args.Is(i, "NOSAVE"u8) || c.Args.Is(i, "SAVE"u8) || c.Args.Is(i, "NOW"u8) || c.Args.Is(i, "FORCE"u8) || c.Args.Is(i, "ABORT"u8)))
                throw CommandContext.Syntax();
        // Every write is already durable in the WAL: shutting down needs no save.
        c.Client.CloseRequested = true;
        c.Server.Shutdown.Cancel();
    }

    private static void Info(CommandContext c)
    {
        var wanted = Enumerable.Range(1, c.ArgCount - 1).Select(i => c.Text(i).ToLowerInvariant()).ToHashSet();
        bool all = wanted.Count == 0 || wanted.Contains("all") || wanted.Contains("everything") || wanted.Contains("default");
        var sb = new StringBuilder();
        var server = c.Server;
        var stats = server.Store.GetStatistics();
        var process = Process.GetCurrentProcess();
        void Section(string name, Action body)
        {
            if (!all && !wanted.Contains(name)) return;
            if (sb.Length > 0) sb.Append("\r\n");
            sb.Append("# ").Append(char.ToUpperInvariant(name[0])).Append(name[1..]).Append("\r\n");
            body();
        }
        void Line(string key, object value) => sb.Append(key).Append(':').Append(Convert.ToString(value, CultureInfo.InvariantCulture)).Append("\r\n");

        Section("server", () =>
        {
            Line("redis_version", CompatibleVersion);
            Line("tieredkv_version", typeof(ServerCommands).Assembly.GetName().Version?.ToString() ?? "0");
            Line("redis_mode", "standalone");
            Line("os", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
            Line("arch_bits", IntPtr.Size * 8);
            Line("process_id", Environment.ProcessId);
            Line("run_id", server.RunId);
            Line("tcp_port", server.Options.Port);
            Line("uptime_in_seconds", (long)(DateTime.UtcNow - server.StartedAt).TotalSeconds);
            Line("uptime_in_days", (long)(DateTime.UtcNow - server.StartedAt).TotalDays);
            Line("executable", Environment.ProcessPath ?? "");
            Line("config_file", server.Options.ConfigFile ?? "");
        });
        Section("clients", () =>
        {
            Line("connected_clients", server.Clients.Count);
            Line("maxclients", server.Options.MaxClients);
            Line("blocked_clients", 0);
            Line("tracking_clients", server.Tracking.ClientCount);
        });
        Section("memory", () =>
        {
            Line("used_memory", GC.GetTotalMemory(false));
            Line("used_memory_rss", process.WorkingSet64);
            Line("used_memory_peak", process.PeakWorkingSet64);
            Line("maxmemory", server.Options.MaxMemory);
            Line("maxmemory_policy", "tiered");
            Line("hot_tier_used_bytes", stats.HotBytes);
        });
        Section("persistence", () =>
        {
            Line("loading", 0);
            Line("aof_enabled", 1);
            Line("appendfsync", server.Options.Get("appendfsync")!);
            // Redis's field for a failed AOF write: writes are refused (MISCONF) until a retry succeeds.
            Line("aof_last_write_status", stats.Engine.WriteError == null ? "ok" : "err");
            Line("wal_bytes_written", stats.Engine.WalBytesWritten);
            Line("wal_syncs", stats.Engine.WalSyncs);
            // Under always: how many connections' command batches one group fsync made durable.
            Line("wal_sync_waits", stats.Engine.WalSyncWaits);
            Line("wal_commits_per_sync", stats.Engine.WalSyncs == 0 ? "0.00" : (stats.Engine.WalSyncWaits / (double)stats.Engine.WalSyncs).ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
            // Counted per successful write command, not per changed key as Redis counts: approximate.
            Line("rdb_changes_since_last_save", server.Saver.ChangesSinceLastSave);
            Line("rdb_bgsave_in_progress", server.Saver.InProgress ? 1 : 0);
            Line("rdb_last_save_time", server.Saver.LastSaveUnixSeconds);
            Line("rdb_last_bgsave_status", server.Saver.LastBackgroundOk ? "ok" : "err");
            Line("rdb_last_bgsave_time_sec", server.Saver.LastBackgroundSeconds);
            Line("rdb_current_bgsave_time_sec", server.Saver.CurrentBackgroundSeconds);
        });
        Section("stats", () =>
        {
            Line("total_connections_received", server.ConnectionsReceived);
            Line("total_commands_processed", server.CommandsProcessed);
            Line("rejected_connections", server.RejectedConnections);
            Line("expired_keys", stats.ExpiredKeys);
            Line("evicted_keys", 0);
            Line("keyspace_hits", stats.HotHits);
            Line("keyspace_misses", stats.HotMisses);
            Line("tracking_total_keys", server.Tracking.KeyCount);
            Line("tracking_total_prefixes", server.Tracking.PrefixCount);
        });
        Section("replication", () =>
        {
            Line("role", "master");
            Line("connected_slaves", 0);
        });
        Section("cpu", () =>
        {
            Line("used_cpu_sys", process.PrivilegedProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
            Line("used_cpu_user", process.UserProcessorTime.TotalSeconds.ToString("F6", CultureInfo.InvariantCulture));
        });
        Section("tieredkv", () =>
        {
            var e = stats.Engine;
            Line("hot_keys", stats.HotKeys);
            Line("hot_bytes", stats.HotBytes);
            Line("hot_hits", stats.HotHits);
            Line("hot_misses", stats.HotMisses);
            Line("promotions", stats.Promotions);
            Line("demotions", stats.Demotions);
            Line("lsm_last_sequence", e.LastSequence);
            Line("lsm_memtable_bytes", e.MemTableBytes);
            Line("lsm_immutable_memtables", e.ImmutableMemTables);
            foreach (var level in e.Levels.Where(l => l.Files > 0))
                Line($"lsm_level_{level.Level}", $"files={level.Files},bytes={level.Bytes},written={level.BytesWritten},read={level.BytesRead}");
            Line("lsm_write_amplification", e.WriteAmplification.ToString("F2", CultureInfo.InvariantCulture));
            Line("lsm_flushes", e.FlushCount);
            Line("lsm_compactions", e.CompactionCount);
            Line("lsm_stall_slowdowns", e.StallSlowdowns);
            Line("lsm_stall_stops", e.StallStops);
            Line("lsm_stall_micros", e.StallMicros);
            Line("lsm_block_cache_hit_rate", e.BlockCacheHitRate.ToString("F4", CultureInfo.InvariantCulture));
            Line("lsm_background_errors", e.BackgroundErrors);
            if (e.LastBackgroundError != null) Line("lsm_last_background_error", e.LastBackgroundError.Replace('\n', ' '));
        });
        Section("keyspace", () =>
        {
            for (int db = 0; db < stats.KeysPerDatabase.Count; db++)
                if (stats.KeysPerDatabase[db] > 0) Line($"db{db}", $"keys={stats.KeysPerDatabase[db]},expires=0,avg_ttl=0");
        });
        c.Reply.WriteVerbatim(sb.ToString());
    }
}
