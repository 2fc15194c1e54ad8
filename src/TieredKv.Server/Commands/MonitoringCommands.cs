using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Monitoring;

namespace TieredKv.Server.Commands;

/// <summary>SLOWLOG, LATENCY and MONITOR, with Redis 7.0's replies and errors.</summary>
internal static class MonitoringCommands
{
    public static void Register(CommandTable t)
    {
        const CommandFlags Admin = CommandFlags.Admin;
        t.Add(new("slowlog", -2, Admin, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("slowlog|get", -2, Admin, 0, 0, 0, SlowlogGet),
                new CommandSpec("slowlog|len", 2, Admin, 0, 0, 0, c => c.Reply.WriteInteger(c.Server.Monitoring.SlowLog.Count)),
                new CommandSpec("slowlog|reset", 2, Admin, 0, 0, 0, c => { c.Server.Monitoring.SlowLog.Reset(); c.Reply.WriteOk(); }),
                new CommandSpec("slowlog|help", 2, CommandFlags.None, 0, 0, 0, c => Help(c, SlowlogHelp))),
        });
        t.Add(new("latency", -2, Admin, 0, 0, 0, c => ServerCommands.Sub(c))
        {
            Subcommands = ServerCommands.Subs(
                new CommandSpec("latency|doctor", 2, Admin, 0, 0, 0, LatencyDoctorReply),
                new CommandSpec("latency|graph", 3, Admin, 0, 0, 0, LatencyGraphReply),
                new CommandSpec("latency|history", 3, Admin, 0, 0, 0, LatencyHistory),
                new CommandSpec("latency|latest", 2, Admin, 0, 0, 0, LatencyLatest),
                new CommandSpec("latency|reset", -2, Admin, 0, 0, 0, LatencyReset),
                new CommandSpec("latency|histogram", -2, Admin, 0, 0, 0, LatencyHistogramReply),
                new CommandSpec("latency|help", 2, CommandFlags.None, 0, 0, 0, c => Help(c, LatencyHelp))),
        });
        t.Add(new("monitor", 1, Admin, 0, 0, 0, Monitor));
    }

    private static readonly string[] SlowlogHelp =
    [
        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        "HELP",
        "    Prints this help.",
    ];

    private static readonly string[] LatencyHelp =
    [
        "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
        "    If no commands are specified then all histograms are replied.",
        "HELP",
        "    Prints this help.",
    ];

    private static void Help(CommandContext c, string[] lines)
    {
        c.Reply.WriteArrayHeader(lines.Length);
        foreach (var line in lines) c.Reply.WriteSimpleString(line);
    }

    private static void SlowlogGet(CommandContext c)
    {
        // Redis's slowlog command answers more arguments than GET takes with its generic subcommand error.
        if (c.ArgCount > 3) throw new KvException($"ERR unknown subcommand or wrong number of arguments for '{c.Text(1)}'. Try {c.Text(0).ToUpperInvariant()} HELP.");
        long count = 10;
        if (c.ArgCount == 3 && (!RedisNumbers.TryParseInteger(c.Args[2], out count) || count < -1))
            throw new KvException("ERR count should be greater than or equal to -1");
        var entries = c.Server.Monitoring.SlowLog.Newest(count);
        var r = c.Reply;
        r.WriteArrayHeader(entries.Count);
        foreach (var e in entries)
        {
            r.WriteArrayHeader(6);
            r.WriteInteger(e.Id);
            r.WriteInteger(e.UnixSeconds);
            r.WriteInteger(e.Micros);
            r.WriteArrayHeader(e.Args.Length);
            foreach (var arg in e.Args) r.WriteBulk(arg);
            r.WriteBulk(e.ClientAddress);
            r.WriteBulk(e.ClientName);
        }
    }

    private static void LatencyLatest(CommandContext c)
    {
        var latest = c.Server.Monitoring.Latency.Latest();
        c.Reply.WriteArrayHeader(latest.Count);
        foreach (var (name, time, latency, max) in latest)
        {
            c.Reply.WriteArrayHeader(4);
            c.Reply.WriteBulk(name);
            c.Reply.WriteInteger(time);
            c.Reply.WriteInteger(latency);
            c.Reply.WriteInteger(max);
        }
    }

    private static void LatencyHistory(CommandContext c)
    {
        var samples = c.Server.Monitoring.Latency.History(c.Text(2)) ?? [];
        c.Reply.WriteArrayHeader(samples.Count);
        foreach (var (time, latency) in samples)
        {
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(time);
            c.Reply.WriteInteger(latency);
        }
    }

    private static void LatencyReset(CommandContext c)
    {
        var latency = c.Server.Monitoring.Latency;
        if (c.ArgCount == 2)
        {
            c.Reply.WriteInteger(latency.ResetAll());
            return;
        }
        int resets = 0;
        for (int i = 2; i < c.ArgCount; i++) resets += latency.Reset(c.Text(i));
        c.Reply.WriteInteger(resets);
    }

    private static void LatencyGraphReply(CommandContext c)
    {
        string name = c.Text(2);
        if (c.Server.Monitoring.Latency.Series(name) is not { } series) throw new KvException($"ERR No samples available for event '{name}'");
        c.Reply.WriteVerbatim(LatencyGraph.Render(name, series.MaxMs, series.Samples, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    }

    private static void LatencyDoctorReply(CommandContext c)
    {
        var options = c.Server.Options;
        c.Reply.WriteVerbatim(LatencyDoctor.Report(c.Server.Monitoring.Latency, options.LatencyMonitorThreshold, options.SlowlogLogSlowerThan,
            options.AppendFsync == Storage.WalSyncPolicy.Always, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    }

    /// <summary>
    /// Each command's calls and cumulative latency distribution (µs → calls up to it): every command called so far,
    /// or the named ones (a container also answers for its subcommands; unknown or uncalled names are left out).
    /// </summary>
    private static void LatencyHistogramReply(CommandContext c)
    {
        var specs = new List<CommandSpec>();
        void AddWithSubcommands(CommandSpec spec)
        {
            if (spec.Statistics.Histogram != null) specs.Add(spec);
            foreach (var sub in spec.Subcommands?.Values ?? []) if (sub.Statistics.Histogram != null) specs.Add(sub);
        }
        if (c.ArgCount == 2)
        {
            foreach (var spec in c.Server.Commands.Originals) AddWithSubcommands(spec);
        }
        else
        {
            for (int i = 2; i < c.ArgCount; i++)
                if (Lookup(c, c.Text(i)) is { } spec) AddWithSubcommands(spec);
        }
        var r = c.Reply;
        r.WriteMapHeader(specs.Count);
        foreach (var spec in specs)
        {
            var histogram = spec.Statistics.Histogram!;
            var distribution = histogram.CumulativeDistribution();
            r.WriteBulk(spec.Name);
            r.WriteMapHeader(2);
            r.WriteBulk("calls");
            r.WriteInteger(histogram.TotalCount);
            r.WriteBulk("histogram_usec");
            r.WriteMapHeader(distribution.Count);
            foreach (var (micros, cumulative) in distribution)
            {
                r.WriteInteger(micros);
                r.WriteInteger(cumulative);
            }
        }
    }

    /// <summary>A command by its own name, or a subcommand by its full name ("config|get").</summary>
    private static CommandSpec? Lookup(CommandContext c, string name)
    {
        int bar = name.IndexOf('|');
        if (bar < 0) return c.Server.Commands.TryGet(name, out var spec) ? spec : null;
        return c.Server.Commands.TryGet(name[..bar], out var container) && container!.Subcommands is { } subs && subs.TryGetValue(name[(bar + 1)..], out var sub) ? sub : null;
    }

    /// <summary>
    /// Monitor mode: from now on every command any client runs is streamed to this one. Inside EXEC Redis refuses
    /// it (the transaction expects one reply per command); a client already monitoring gets no reply at all, as in Redis.
    /// </summary>
    private static void Monitor(CommandContext c)
    {
        if (c.Client.Transaction.InExec) throw new KvException("ERR MONITOR isn't allowed for DENY BLOCKING client");
        var monitors = c.Server.Monitoring.Monitors;
        if (monitors.IsMonitor(c.Client)) return;
        monitors.Add(c.Client);
        c.Reply.WriteOk();
    }
}
