using System.Text;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Monitoring;

/// <summary>
/// The commands that ran longer than slowlog-log-slower-than, newest first, at most slowlog-max-len of them.
/// Arguments are kept as Redis keeps them: at most 32 (the last says how many more there were), each cut at
/// 128 bytes (saying how many more bytes there were), credentials redacted. Ids keep counting across RESET.
/// </summary>
internal sealed class SlowLog
{
    private const int MaxArguments = 32;
    private const int MaxArgumentBytes = 128;

    private readonly object _lock = new();
    private readonly LinkedList<SlowLogEntry> _entries = new();
    private long _nextId;

    public int Count
    {
        get { lock (_lock) return _entries.Count; }
    }

    public void Add(CommandArgs args, long micros, string clientAddress, string clientName, long maxLength)
    {
        var logged = CopyArguments(args);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (_lock)
        {
            _entries.AddFirst(new SlowLogEntry(_nextId++, now, micros, logged, clientAddress, clientName));
            Trim(maxLength);
        }
    }

    /// <summary>Drops the oldest entries beyond <paramref name="maxLength"/> (also when slowlog-max-len is lowered).</summary>
    public void Trim(long maxLength)
    {
        lock (_lock)
            while (_entries.Count > Math.Max(maxLength, 0)) _entries.RemoveLast();
    }

    /// <summary>The newest <paramref name="count"/> entries; all of them when negative.</summary>
    public List<SlowLogEntry> Newest(long count)
    {
        lock (_lock) return [.. count < 0 ? _entries : _entries.Take((int)Math.Min(count, int.MaxValue))];
    }

    public void Reset()
    {
        lock (_lock) _entries.Clear();
    }

    private static byte[][] CopyArguments(CommandArgs args)
    {
        int count = Math.Min(args.Count, MaxArguments);
        var logged = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            if (i == count - 1 && args.Count > count)
            {
                logged[i] = Encoding.ASCII.GetBytes($"... ({args.Count - count + 1} more arguments)");
                break;
            }
            if (ArgumentRedaction.IsRedacted(args, i))
            {
                logged[i] = ArgumentRedaction.Redacted.ToArray();
                continue;
            }
            var arg = args[i];
            if (arg.Length <= MaxArgumentBytes)
            {
                logged[i] = arg.ToArray();
                continue;
            }
            var suffix = Encoding.ASCII.GetBytes($"... ({arg.Length - MaxArgumentBytes} more bytes)");
            logged[i] = [.. arg[..MaxArgumentBytes], .. suffix];
        }
        return logged;
    }
}
