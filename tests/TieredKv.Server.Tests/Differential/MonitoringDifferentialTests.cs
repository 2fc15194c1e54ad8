using System.Text;
using System.Text.RegularExpressions;
using TieredKv.Server.Tests.Security;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// SLOWLOG, LATENCY and MONITOR against a real Redis started with the same settings (Redis from its command line,
/// ours through the harness's options): identical bytes where the reply is deterministic, and where it holds times,
/// ids, durations or client ports, identical once those are masked.
/// </summary>
public sealed partial class MonitoringDifferentialTests
{
    private static string Show(byte[] reply) => ServerPair.Show(reply);

    /// <summary>Sends a command to both servers without comparing the replies.</summary>
    private static void Both((RawClient Redis, RawClient Ours) clients, params string[] command)
    {
        clients.Redis.Call(command);
        clients.Ours.Call(command);
    }

    /// <summary>Masks what differs by nature between two servers: slow log ids, times and durations, and client ports.</summary>
    private static string Masked(byte[] reply) =>
        ClientAddress().Replace(SlowlogEntryHead().Replace(Show(reply), "*6 <id> <time> <usec>"), "<addr>");

    [GeneratedRegex(@"\*6\\r\\n:\d+\\r\\n:\d+\\r\\n:\d+")]
    private static partial Regex SlowlogEntryHead();

    [GeneratedRegex(@"\$\d+\\r\\n127\.0\.0\.1:\d+")]
    private static partial Regex ClientAddress();

    [GeneratedRegex(@"^\+\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\] (.*)$")]
    private static partial Regex MonitorLine();

    [SkippableFact]
    public void SlowlogHelpAndErrors_AreRedis()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "SLOWLOG", "HELP");
        ServerPair.Same(clients, "SLOWLOG");
        ServerPair.Same(clients, "SLOWLOG", "FOO");
        ServerPair.Same(clients, "SLOWLOG", "GET", "x");
        ServerPair.Same(clients, "SLOWLOG", "GET", "-2");
        ServerPair.Same(clients, "SLOWLOG", "GET", "1", "2");
        ServerPair.Same(clients, "SLOWLOG", "LEN", "x");
        ServerPair.Same(clients, "SLOWLOG", "RESET", "x");
        ServerPair.Same(clients, "SLOWLOG", "RESET");
        ServerPair.Same(clients, "SLOWLOG", "GET", "0");
    }

    [SkippableFact]
    public void SlowlogEntries_WhenEveryCommandIsLogged_HaveRedisArgumentsTruncationAndRedaction()
    {
        using var pair = new ServerPair("--slowlog-log-slower-than 0", o => o.SlowlogLogSlowerThan = 0);
        var clients = pair.Connect();
        ServerPair.Same(clients, "SLOWLOG", "RESET");
        ServerPair.Same(clients, "CLIENT", "SETNAME", "watcher");
        ServerPair.Same(clients, "SET", "k", new string('v', 150));
        ServerPair.Same(clients, ["RPUSH", "l", .. Enumerable.Range(1, 35).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        ServerPair.Same(clients, "AUTH", "secret");
        Both(clients, "HELLO", "2", "AUTH", "default", "secret"); // its reply holds the client id, which differs
        ServerPair.Same(clients, "GET"); // refused before running: not logged
        ServerPair.Same(clients, "NOSUCHCOMMAND"); // unknown: not logged
        string expected = Masked(clients.Redis.Call("SLOWLOG", "GET", "-1")), actual = Masked(clients.Ours.Call("SLOWLOG", "GET", "-1"));
        Assert.Equal(expected, actual);
        ServerPair.Same(clients, "SLOWLOG", "LEN");
    }

    [SkippableFact]
    public void SlowlogIds_CountOnAcrossReset_NewestFirst()
    {
        using var pair = new ServerPair("--slowlog-log-slower-than 0", o => o.SlowlogLogSlowerThan = 0);
        using var ours = new RawClient(pair.Ours.Port);
        ours.Call("PING");
        ours.Call("SLOWLOG", "RESET");
        ours.Call("PING");
        var ids = Regex.Matches(Show(ours.Call("SLOWLOG", "GET")), @"\*6\\r\\n:(\d+)").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // PING (0), SLOWLOG RESET (1) cleared, then RESET itself logged after clearing (1) and PING (2): as Redis.
        Assert.Equal([2L, 1L], ids);
    }

    [SkippableFact]
    public void SlowlogMaxLen_KeepsTheNewestEntries()
    {
        using var pair = new ServerPair("--slowlog-log-slower-than 0 --slowlog-max-len 3", o =>
        {
            o.SlowlogLogSlowerThan = 0;
            o.SlowlogMaxLen = 3;
        });
        var clients = pair.Connect();
        for (int i = 0; i < 10; i++) ServerPair.Same(clients, "SET", $"k{i}", "v");
        ServerPair.Same(clients, "SLOWLOG", "LEN");
        Assert.Equal(Masked(clients.Redis.Call("SLOWLOG", "GET")), Masked(clients.Ours.Call("SLOWLOG", "GET")));
    }

    [SkippableFact]
    public void SlowlogDisabled_WhenThresholdIsNegative()
    {
        using var pair = new ServerPair("--slowlog-log-slower-than -1", o => o.SlowlogLogSlowerThan = -1);
        var clients = pair.Connect();
        ServerPair.Same(clients, "SET", "k", "v");
        Assert.Equal(":0\\r\\n", ServerPair.Same(clients, "SLOWLOG", "LEN"));
    }

    [SkippableFact]
    public void LatencyHelpAndErrors_AreRedis()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "LATENCY", "HELP");
        ServerPair.Same(clients, "LATENCY");
        ServerPair.Same(clients, "LATENCY", "FOO");
        ServerPair.Same(clients, "LATENCY", "LATEST", "x");
        ServerPair.Same(clients, "LATENCY", "HISTORY");
        ServerPair.Same(clients, "LATENCY", "GRAPH");
        ServerPair.Same(clients, "LATENCY", "DOCTOR", "x");
        ServerPair.Same(clients, "LATENCY", "GRAPH", "command");
        ServerPair.Same(clients, "LATENCY", "HISTORY", "command");
        ServerPair.Same(clients, "LATENCY", "LATEST");
        ServerPair.Same(clients, "LATENCY", "RESET");
        ServerPair.Same(clients, "LATENCY", "RESET", "command", "nosuch");
        ServerPair.Same(clients, "LATENCY", "HISTOGRAM", "nosuchcommand");
    }

    [SkippableFact]
    public void LatencyDoctor_WhenMonitoringIsOff_ExplainsHowToTurnItOn()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "LATENCY", "DOCTOR");
        clients.Redis.Call("HELLO", "3");
        clients.Ours.Call("HELLO", "3");
        ServerPair.Same(clients, "LATENCY", "DOCTOR");
    }

    [SkippableFact]
    public void LatencyDoctor_WhenMonitoringIsOnWithoutSpikes_SaysSo()
    {
        // A threshold no command reaches: the report is deterministic.
        using var pair = new ServerPair("--latency-monitor-threshold 60000", o => o.LatencyMonitorThreshold = 60000);
        var clients = pair.Connect();
        ServerPair.Same(clients, "SET", "k", "v");
        ServerPair.Same(clients, "LATENCY", "DOCTOR");
        ServerPair.Same(clients, "LATENCY", "LATEST");
    }

    [SkippableFact]
    public void LatencyHistogram_HasRedisShape_InResp2AndResp3()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        for (int i = 0; i < 5; i++) ServerPair.Same(clients, "SET", "k", "v");
        ServerPair.Same(clients, "CONFIG", "GET", "port-does-not-exist");
        foreach (int protocol in new[] { 2, 3 })
        {
            clients.Redis.Call("HELLO", $"{protocol}");
            clients.Ours.Call("HELLO", $"{protocol}");
            Assert.Equal(HistogramShape(clients.Redis.Call("LATENCY", "HISTOGRAM", "set", "nosuch", "config")),
                HistogramShape(clients.Ours.Call("LATENCY", "HISTOGRAM", "set", "nosuch", "config")));
        }
    }

    /// <summary>The reply with the distribution's buckets (durations and counts, which differ by nature) replaced by their total count.</summary>
    private static string HistogramShape(byte[] reply)
    {
        var lines = Encoding.UTF8.GetString(reply).Split("\r\n").ToList();
        var shape = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            shape.Append(lines[i]).Append('|');
            if (lines[i] != "histogram_usec") continue;
            int pairs = int.Parse(lines[i + 1].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) / (lines[i + 1][0] == '*' ? 2 : 1);
            long last = pairs == 0 ? 0 : long.Parse(lines[i + 1 + 2 * pairs].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            shape.Append(lines[i + 1][0]).Append("buckets, cumulative ").Append(last).Append('|');
            i += 1 + 2 * pairs;
        }
        return shape.ToString();
    }

    [SkippableFact]
    public void Monitor_StreamsEveryClientsCommands_InRedisFormat_WithCredentialsRedacted()
    {
        using var pair = new ServerPair("");
        var watchers = pair.Connect();
        var clients = pair.Connect();
        ServerPair.Same(watchers, "MONITOR");
        string[][] commands =
        [
            ["SET", "k", "a b\"\n\x01"],
            ["AUTH", "secret"],
            ["AUTH", "user", "secret"],
            ["HELLO", "3", "AUTH", "default", "secret", "SETNAME", "x"],
            ["HELLO", "2"],
            ["CONFIG", "GET", "databases"], // admin: not shown
            ["GET"], // refused: not shown
            ["MULTI"],
            ["INCR", "n"],
            ["EXEC"],
            ["SELECT", "3"],
            ["PING"],
        ];
        foreach (var command in commands)
        {
            if (command[0] == "HELLO") Both(clients, command); // its reply holds the client id, which differs
            else ServerPair.Same(clients, command);
        }
        var expected = MonitorLines(watchers.Redis, 10);
        var actual = MonitorLines(watchers.Ours, 10);
        Assert.Equal(expected, actual);
        Assert.Equal("[3] \"PING\"", actual[^1]);
        Assert.Equal("[0] \"AUTH\" \"(redacted)\" \"(redacted)\"", actual[2]);
    }

    /// <summary>The next <paramref name="count"/> lines of a monitor, each as [db] and the quoted arguments (time and port vary).</summary>
    private static List<string> MonitorLines(RawClient monitor, int count)
    {
        var lines = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string line = Encoding.Latin1.GetString(monitor.ReadReply()).TrimEnd('\r', '\n');
            var match = MonitorLine().Match(line);
            Assert.True(match.Success, $"not a monitor line: {line}");
            lines.Add($"[{match.Groups[1].Value}] {match.Groups[2].Value}");
        }
        return lines;
    }

    [SkippableFact]
    public void Monitor_RefusesKeyspaceCommands_AndInsideExec_AsRedis()
    {
        using var pair = new ServerPair("");
        var monitor = pair.Connect();
        ServerPair.Same(monitor, "MONITOR");
        ServerPair.Same(monitor, "GET", "k");
        var clients = pair.Connect();
        ServerPair.Same(clients, "MULTI");
        ServerPair.Same(clients, "MONITOR");
        ServerPair.Same(clients, "EXEC");
    }

    [SkippableFact]
    public void CommandAndErrorStatistics_AfterAKnownSequence_CountAsRedis()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "RESETSTAT");
        string[][] sequence =
        [
            ["SET", "s", "text"], ["GET", "s"], ["GET"], ["NOSUCH", "x"], ["INCR", "s"], ["LPUSH", "s", "x"],
            ["MULTI"], ["INCR", "s"], ["SET", "t", "1"], ["EXEC"],
            ["MULTI"], ["GET"], ["EXEC"],
            ["CONFIG", "GET", "databases"], ["CONFIG", "NOSUCH"], ["CONFIG", "GET"], ["AUTH", "secret"],
            ["SLOWLOG", "GET", "0"], ["LATENCY", "RESET"], ["OBJECT", "ENCODING", "missing"],
        ];
        foreach (var command in sequence) ServerPair.Same(clients, command);
        Assert.Equal(CommandStats(clients.Redis), CommandStats(clients.Ours));
        Assert.Equal(InfoLines(clients.Redis, "errorstats"), InfoLines(clients.Ours, "errorstats"));
        Assert.Equal(InfoField(clients.Redis, "total_error_replies"), InfoField(clients.Ours, "total_error_replies"));
        Assert.Equal(InfoField(clients.Redis, "total_commands_processed"), InfoField(clients.Ours, "total_commands_processed"));
    }

    [SkippableFact]
    public void ConfigResetstat_ClearsCommandAndErrorStatistics()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "GET");
        ServerPair.Same(clients, "SET", "k", "v");
        ServerPair.Same(clients, "CONFIG", "RESETSTAT");
        Assert.Equal(CommandStats(clients.Redis), CommandStats(clients.Ours));
        Assert.Equal(InfoLines(clients.Redis, "errorstats"), InfoLines(clients.Ours, "errorstats"));
        // Redis lists commands in its hash table's order: compared as sets.
        Assert.Equal(InfoLines(clients.Redis, "latencystats").Select(l => l.Split(':')[0]).Order(StringComparer.Ordinal),
            InfoLines(clients.Ours, "latencystats").Select(l => l.Split(':')[0]).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void BlockedClients_CountsAClientWaitingInBlpop()
    {
        using var pair = new ServerPair("");
        var blocked = pair.Connect();
        var clients = pair.Connect();
        blocked.Redis.SendRaw(RawClient.Encode([.. new[] { "BLPOP", "queue", "0" }.Select(Encoding.ASCII.GetBytes)]));
        blocked.Ours.SendRaw(RawClient.Encode([.. new[] { "BLPOP", "queue", "0" }.Select(Encoding.ASCII.GetBytes)]));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((InfoField(clients.Redis, "blocked_clients") != "1" || InfoField(clients.Ours, "blocked_clients") != "1") && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.Equal("1", InfoField(clients.Redis, "blocked_clients"));
        Assert.Equal("1", InfoField(clients.Ours, "blocked_clients"));
        ServerPair.Same(clients, "RPUSH", "queue", "job");
        Assert.Equal(Show(blocked.Redis.ReadReply()), Show(blocked.Ours.ReadReply()));
        Assert.Equal("0", InfoField(clients.Ours, "blocked_clients"));
    }

    /// <summary>INFO commandstats as command → calls, rejected and failed calls (durations differ by nature).</summary>
    private static Dictionary<string, string> CommandStats(RawClient client) =>
        InfoLines(client, "commandstats").ToDictionary(
            l => l.Split(':')[0],
            l => Regex.Replace(l.Split(':')[1], @"usec=\d+,usec_per_call=[\d.]+,", ""));

    private static List<string> InfoLines(RawClient client, string section) =>
        [.. Encoding.UTF8.GetString(client.Call("INFO", section)).Split("\r\n").Where(l => l.Contains(':', StringComparison.Ordinal) && !l.StartsWith('$'))];

    private static string InfoField(RawClient client, string field) =>
        InfoLines(client, "everything").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..];
}
