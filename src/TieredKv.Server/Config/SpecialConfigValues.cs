using System.Globalization;

namespace TieredKv.Server.Config;

/// <summary>
/// The grammars of Redis's special parameters (save, bind, client-output-buffer-limit, oom-score-adj-values,
/// notify-keyspace-events, replicaof, latency-tracking-info-percentiles) and the checks some plain ones run
/// (file names, process-title templates, host names). Each setter returns Redis's reason for refusing, or null.
/// </summary>
internal static class SpecialConfigValues
{
    public static string? SetSave(ServerOptions o, string value)
    {
        var words = value.Length == 0 ? [] : value.Split(' ');
        if (words.Length % 2 != 0) return "Invalid save parameters";
        var pairs = new List<string>();
        for (int j = 0; j < words.Length; j++)
        {
            if (!long.TryParse(words[j].TrimStart(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
                || (j % 2 == 0 && n < 1) || (j % 2 == 1 && n < 0))
                return "Invalid save parameters";
            pairs.Add(j % 2 == 0 ? ConfigText.Format(n) : ConfigText.Format(unchecked((int)n))); // changes are a C int
        }
        o.Save = string.Join(' ', pairs);
        return null;
    }

    public static string? SetBind(ServerOptions o, string value)
    {
        var words = value.Length == 0 ? [] : value.Split(' ');
        if (words.Length > 16) return "Too many bind addresses specified.";
        o.Bind = words.Length == 1 && words[0].Length == 0 ? [] : words;
        return null;
    }

    /// <summary>Rewritten as its addresses, or <c>""</c> for none.</summary>
    public static string RewriteBind(ServerOptions o) => o.Bind.Length == 0 ? "\"\"" : string.Join(' ', o.Bind);

    /// <summary><c>class hard soft seconds</c>, repeated (classes normal, replica/slave, pubsub); nothing changes unless every group is valid.</summary>
    public static string? SetOutputLimits(ServerOptions o, string value)
    {
        var words = value.Length == 0 ? [] : value.Split(' ');
        if (words.Length % 4 != 0) return "Wrong number of arguments in buffer limit configuration.";
        var parsed = new List<(string Class, OutputBufferLimit Limit)>();
        for (int i = 0; i < words.Length; i += 4)
        {
            string kind = words[i].ToLowerInvariant();
            if (kind is not ("normal" or "replica" or "slave" or "pubsub")) return "Invalid client class specified in buffer limit configuration.";
            if (!ConfigText.TryParseMemory(words[i + 1], out ulong hard) || !ConfigText.TryParseMemory(words[i + 2], out ulong soft)
                || !long.TryParse(words[i + 3].TrimStart(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seconds)
                || unchecked((int)seconds) < 0)
                return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
            parsed.Add((kind, new OutputBufferLimit(unchecked((long)hard), unchecked((long)soft), unchecked((int)seconds))));
        }
        foreach (var (kind, limit) in parsed)
        {
            if (kind == "normal") o.NormalOutputLimit = limit;
            else if (kind == "pubsub") o.PubSubOutputLimit = limit;
            else o.ReplicaOutputLimit = limit;
        }
        return null;
    }

    public static string GetOutputLimits(ServerOptions o) =>
        $"normal {Format(o.NormalOutputLimit)} slave {Format(o.ReplicaOutputLimit)} pubsub {Format(o.PubSubOutputLimit)}";

    private static string Format(OutputBufferLimit limit) =>
        string.Create(CultureInfo.InvariantCulture, $"{unchecked((ulong)limit.HardBytes)} {unchecked((ulong)limit.SoftBytes)} {limit.SoftSeconds}");

    public static string? SetOomScoreAdjValues(ServerOptions o, string value)
    {
        var words = value.Length == 0 ? [] : value.Split(' ');
        if (words.Length != 3) return "wrong number of arguments";
        var values = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (!long.TryParse(words[i].TrimStart(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) || n < -2000 || n > 2000)
                return "Invalid oom-score-adj-values, elements must be between -2000 and 2000.";
            values[i] = (int)n;
        }
        o.StoredValues["oom-score-adj-values"] = values;
        return null;
    }

    public static string GetOomScoreAdjValues(ServerOptions o) =>
        string.Join(' ', o.StoredValues.TryGetValue("oom-score-adj-values", out var v) ? (int[])v! : [0, 200, 800]);

    public static string? SetNotifyKeyspaceEvents(ServerOptions o, string value)
    {
        if (!KeyspaceEventFlagsText.TryParse(value, out var flags)) return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
        o.NotifyKeyspaceEvents = flags;
        return null;
    }

    /// <summary><c>host port</c>, or <c>no one</c> for none. Accepted and stored only: this server does not replicate.</summary>
    public static string? SetReplicaOf(ServerOptions o, string value)
    {
        var words = value.Length == 0 ? [] : value.Split(' ');
        if (words.Length != 2) return "wrong number of arguments";
        o.StoredValues.Remove("replicaof");
        if (words[0].Equals("no", StringComparison.OrdinalIgnoreCase) && words[1].Equals("one", StringComparison.OrdinalIgnoreCase)) return null;
        if (!long.TryParse(words[1].TrimStart(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long port) || port < 0 || port > 65535)
            return "Invalid master port";
        o.StoredValues["replicaof"] = $"{words[0]} {port}";
        return null;
    }

    public static string GetReplicaOf(ServerOptions o) => o.StoredValues.TryGetValue("replicaof", out var v) ? (string)v! : "";

    public static string? RewriteReplicaOf(ServerOptions o) => o.StoredValues.TryGetValue("replicaof", out var v) ? (string)v! : null;

    public static string? SetLatencyPercentiles(ServerOptions o, string value)
    {
        var words = value.Length == 0 ? [] : value.Split(' ');
        var percentiles = new List<double>();
        if (!(words.Length == 1 && words[0].Length == 0))
            foreach (var word in words)
            {
                if (!ConfigText.TryParseDouble(word, out double p))
                {
                    o.LatencyTrackingInfoPercentiles = []; // Redis has already dropped the old list when a word fails
                    return "Invalid latency-tracking-info-percentiles parameters";
                }
                if (p is > 100.0 or < 0.0)
                {
                    o.LatencyTrackingInfoPercentiles = [];
                    return "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]";
                }
                percentiles.Add(p);
            }
        o.LatencyTrackingInfoPercentiles = [.. percentiles];
        return null;
    }

    public static string GetLatencyPercentiles(ServerOptions o) => string.Join(' ', o.LatencyTrackingInfoPercentiles.Select(ConfigText.FormatTrimmed));

    public static string RewriteLatencyPercentiles(ServerOptions o) => o.LatencyTrackingInfoPercentiles.Length == 0 ? "\"\"" : GetLatencyPercentiles(o);

    /// <summary>dbfilename: Redis refuses a path; we also refuse an empty name, which SAVE could not write.</summary>
    public static string? CheckDbFilename(string value) =>
        value.Length == 0 || value.Contains('/') || value.Contains('\\') ? "dbfilename can't be a path, just a filename" : null;

    public static string? CheckAppendFilename(string value) =>
        value.Length == 0 ? "appendfilename can't be empty"
        : value.Contains('/') || value.Contains('\\') ? "appendfilename can't be a path, just a filename" : null;

    public static string? CheckAppendDirname(string value) =>
        value.Length == 0 ? "appenddirname can't be empty"
        : value.Contains('/') || value.Contains('\\') ? "appenddirname can't be a path, just a dirname" : null;

    public static string? CheckHostname(string value)
    {
        if (value.Length >= 256) return "Hostnames must be less than 256 characters";
        return value.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')
            ? null
            : "Hostnames may only contain alphanumeric characters, hyphens or dots";
    }

    /// <summary>
    /// A process-title template must expand, with an empty title, to something not blank: every {variable} known
    /// ({{ is a literal brace). {title}, {server-mode} and {unixsocket} expand to nothing here; the rest to text.
    /// </summary>
    public static string? CheckProcTitleTemplate(string value)
    {
        const string invalid = "template format is invalid or contains unknown variables";
        var expanded = new System.Text.StringBuilder();
        int p = 0;
        while (p < value.Length)
        {
            int open = value.IndexOf('{', p);
            if (open < 0)
            {
                expanded.Append(value, p, value.Length - p);
                break;
            }
            expanded.Append(value, p, open - p);
            if (open + 1 == value.Length) return invalid;
            if (value[open + 1] == '{')
            {
                expanded.Append('{');
                p = open + 2;
                continue;
            }
            int close = value.IndexOf('}', open + 1);
            if (close < 0) return invalid;
            string variable = value[(open + 1)..close];
            if (variable is "listen-addr" or "config-file" or "port" or "tls-port") expanded.Append('x');
            else if (variable is not ("title" or "server-mode" or "unixsocket")) return invalid;
            p = close + 1;
        }
        return expanded.ToString().Trim(' ').Length == 0 ? invalid : null;
    }
}
