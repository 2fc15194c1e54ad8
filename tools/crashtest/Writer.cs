using System.Diagnostics;
using System.Net.Sockets;

namespace TieredKv.CrashTest;

/// <summary>
/// One writer connection with keys of its own, so its model is exact: it knows every command it sent,
/// which were acknowledged and what each replied. After a crash the recovered keys must equal the
/// model after some prefix of its commands (the WAL keeps one connection's writes in order), and that
/// prefix must hold every acknowledged command — or, under everysec, all but those acknowledged
/// within the allowed loss window before the kill.
/// </summary>
internal sealed class Writer(int id, int keysPerKind, int maxPipeline, int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<WriterOp> _ops = [];
    private KeyspaceModel _recovered = new();   // proven present after the last restart
    private KeyspaceModel _live = new();        // _recovered plus every command sent since
    private long _opNumber;

    public int Id { get; } = id;

    /// <summary>A reply that differed from the model's, which stops the writer; null while all agree.</summary>
    public string? ReplyMismatch { get; private set; }

    public IReadOnlyList<string> Keys { get; } = KeyspaceModel.AllKeys(id, keysPerKind).ToList();

    /// <summary>How many of its keys exist in the state last recovered.</summary>
    public int RecoveredKeyCount => Keys.Count(k => _recovered.Get(k) != null);

    /// <summary>Sends random writes (single and pipelined) until <paramref name="stop"/> or the connection dies.</summary>
    public void Run(int port, CancellationToken stop)
    {
        try
        {
            using var connection = ServerConnection.Open(port, TimeSpan.FromSeconds(30));
            while (!stop.IsCancellationRequested)
            {
                int count = _random.Next(2) == 0 ? 1 : _random.Next(2, maxPipeline + 1);
                var batch = new List<WriterOp>(count);
                for (int i = 0; i < count; i++)
                {
                    var args = _live.NextCommand(_random, Id, keysPerKind, ++_opNumber);
                    var op = new WriterOp(args[1], args, _live.Apply(args));
                    _ops.Add(op);
                    batch.Add(op);
                }
                connection.SendAll(batch.Select(o => (IReadOnlyList<string>)o.Args));
                foreach (var op in batch)
                {
                    var reply = connection.Read();
                    op.AckedAt = Stopwatch.GetTimestamp();
                    if (reply.Render() != op.ExpectedReply)
                    {
                        ReplyMismatch = $"writer {Id}: {op} replied {reply.Render()}, the model expected {op.ExpectedReply}";
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The server was killed: commands without a reply are in flight, applied or not.
        }
    }

    /// <summary>
    /// For tests of the checker: generates <paramref name="count"/> commands as <see cref="Run"/> would, as if sent,
    /// the first <paramref name="acknowledged"/> of them acknowledged at <paramref name="ackedAt"/>; returns their arguments.
    /// </summary>
    internal List<string[]> SimulateSent(int count, int acknowledged, long ackedAt)
    {
        var sent = new List<string[]>();
        for (int i = 0; i < count; i++)
        {
            var args = _live.NextCommand(_random, Id, keysPerKind, ++_opNumber);
            _ops.Add(new WriterOp(args[1], args, _live.Apply(args)) { AckedAt = i < acknowledged ? ackedAt : null });
            sent.Add(args);
        }
        return sent;
    }

    /// <summary>
    /// Checks the recovered keys against the model and adopts what was recovered as the new start.
    /// <paramref name="lossWindow"/> null: every acknowledged command must be present (appendfsync always);
    /// otherwise those acknowledged within that long before <paramref name="killedAt"/> may be missing, as a suffix.
    /// When more was lost but the keys still equal some prefix, the check names the violation, counts the loss
    /// and adopts that prefix all the same (<see cref="WriterCheck.IsPrefix"/>).
    /// </summary>
    public WriterCheck Verify(IReadOnlyDictionary<string, string> actual, long killedAt, TimeSpan? lossWindow)
    {
        int acked = _ops.Count(o => o.AckedAt != null);
        int sent = _ops.Count;
        long lossFrom = lossWindow is { } w ? killedAt - (long)(w.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        int mustHave = _ops.Count(o => o.AckedAt is { } t && t <= lossFrom);
        if (lossWindow == null) mustHave = acked;

        string? violation = null;
        var (matched, model) = LongestMatchingPrefix(actual, mustHave, sent);
        if (matched < 0)
        {
            violation = Describe(actual, acked, mustHave);
            // A shorter prefix still counts what was lost and lets a run that reports losses go on from there.
            (matched, model) = LongestMatchingPrefix(actual, 0, mustHave);
            if (matched < 0) return new WriterCheck(acked, sent, 0, violation) { IsPrefix = false };
        }

        _recovered = model!;
        _live = model!.Clone();
        int lost = Math.Max(0, acked - matched);
        double lostMillis = lost == 0 ? 0 : (killedAt - _ops[matched].AckedAt!.Value) * 1000.0 / Stopwatch.Frequency;
        var check = new WriterCheck(acked, sent, lost, violation) { InFlightApplied = Math.Max(0, matched - acked), LostMillis = lostMillis };
        _ops.Clear();
        return check;
    }

    /// <summary>The largest m in [from, to] such that the model after the first m commands equals <paramref name="actual"/>; -1 if none.</summary>
    private (int M, KeyspaceModel? Model) LongestMatchingPrefix(IReadOnlyDictionary<string, string> actual, int from, int to)
    {
        var model = _recovered.Clone();
        for (int i = 0; i < from; i++) model.Apply(_ops[i].Args);
        var mismatched = new HashSet<string>(Keys.Where(k => model.Render(k) != actual[k]), StringComparer.Ordinal);
        (int, KeyspaceModel?) best = (-1, null);
        for (int m = from; ; m++)
        {
            if (mismatched.Count == 0) best = (m, null);
            if (m == to) break;
            var op = _ops[m];
            model.Apply(op.Args);
            if (model.Render(op.Key) == actual[op.Key]) mismatched.Remove(op.Key);
            else mismatched.Add(op.Key);
        }
        if (best.Item1 < 0) return best;
        var result = _recovered.Clone();
        for (int i = 0; i < best.Item1; i++) result.Apply(_ops[i].Args);
        return (best.Item1, result);
    }

    /// <summary>Says precisely how the recovered keys differ: the closest prefix of the writer's commands and the keys that disagree with it.</summary>
    private string Describe(IReadOnlyDictionary<string, string> actual, int acked, int mustHave)
    {
        var model = _recovered.Clone();
        int bestM = 0, bestCount = int.MaxValue;
        for (int m = 0; ; m++)
        {
            int count = Keys.Count(k => model.Render(k) != actual[k]);
            if (count <= bestCount) (bestM, bestCount) = (m, count);
            if (m == _ops.Count) break;
            model.Apply(_ops[m].Args);
        }
        model = _recovered.Clone();
        for (int i = 0; i < bestM; i++) model.Apply(_ops[i].Args);
        var lines = new List<string>
        {
            $"writer {Id}: recovered keys match no allowed prefix of its commands (sent {_ops.Count}, acknowledged {acked}, required at least {mustHave})",
            bestCount == 0
                ? $"  they equal the state after {bestM} commands: acknowledged commands {bestM + 1}..{mustHave} were lost (first lost: {_ops[bestM]})"
                : $"  closest prefix: {bestM} commands, {bestCount} keys differ:",
        };
        foreach (var key in Keys.Where(k => model.Render(k) != actual[k]).Take(6))
        {
            int last = _ops.FindLastIndex(o => o.Key == key);
            lines.Add($"    {key}: expected {Cut(model.Render(key))} got {Cut(actual[key])} (last command on it: #{last + 1} {(last >= 0 ? _ops[last] : "none this cycle")})");
        }
        return string.Join('\n', lines);
    }

    private static string Cut(string s) => s.Length > 120 ? s[..120] + "…" : s;
}
