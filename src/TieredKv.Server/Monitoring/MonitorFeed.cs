using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// MONITOR: the clients in monitor mode, and every command any client runs streamed to them as Redis writes
/// it: <c>+1339518083.107412 [0 127.0.0.1:60866] "keys" "*"</c> (time, database after the command, client
/// address, arguments quoted and escaped, credentials redacted). Without monitors it costs one volatile read per command.
/// </summary>
internal sealed class MonitorFeed
{
    private readonly ConcurrentDictionary<long, IMonitoredClient> _monitors = new();
    private int _count;

    public bool Any => Volatile.Read(ref _count) > 0;

    public bool IsMonitor(IMonitoredClient client) => Any && _monitors.ContainsKey(client.Id);

    public void Add(IMonitoredClient client)
    {
        if (_monitors.TryAdd(client.Id, client)) Interlocked.Increment(ref _count);
    }

    public void Remove(IMonitoredClient client)
    {
        if (_monitors.TryRemove(client.Id, out _)) Interlocked.Decrement(ref _count);
    }

    /// <summary>Sends the command that <paramref name="client"/> just ran to every monitor.</summary>
    public void Feed(IMonitoredClient client, CommandArgs args)
    {
        if (!Any) return;
        var frame = Format(client, args, DateTimeOffset.UtcNow);
        foreach (var monitor in _monitors.Values) monitor.Deliver(frame);
    }

    public static byte[] Format(IMonitoredClient client, CommandArgs args, DateTimeOffset time)
    {
        long micros = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"+{micros / 1_000_000}.{micros % 1_000_000:D6} [{client.Database} {client.MonitorAddress}]");
        for (int i = 0; i < args.Count; i++)
        {
            sb.Append(' ');
            if (ArgumentRedaction.IsRedacted(args, i)) AppendQuoted(sb, ArgumentRedaction.Redacted);
            else AppendQuoted(sb, args[i]);
        }
        sb.Append("\r\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    /// <summary>As Redis's sdscatrepr: in double quotes, with \\ \" \n \r \t \a \b escaped and other unprintable bytes as \xHH.</summary>
    private static void AppendQuoted(StringBuilder sb, ReadOnlySpan<byte> arg)
    {
        sb.Append('"');
        foreach (byte b in arg)
        {
            switch (b)
            {
                case (byte)'\\': sb.Append("\\\\"); break;
                case (byte)'"': sb.Append("\\\""); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case 7: sb.Append("\\a"); break;
                case 8: sb.Append("\\b"); break;
                case >= 0x20 and <= 0x7e: sb.Append((char)b); break;
                default: sb.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}"); break;
            }
        }
        sb.Append('"');
    }
}
