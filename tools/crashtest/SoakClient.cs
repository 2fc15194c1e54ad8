using System.Diagnostics;
using System.Net.Sockets;

namespace TieredKv.CrashTest;

/// <summary>
/// One soak connection with keys of its own: random writes whose replies are checked against its
/// model, and reads of whole keys checked the same way; each request's round trip is timed.
/// </summary>
internal sealed class SoakClient(int id, int keysPerKind, int seed)
{
    private readonly Random _random = new(seed);
    private readonly KeyspaceModel _model = new();
    private readonly object _lock = new();
    private List<double> _latencies = [];
    private long _opNumber;

    public int Id { get; } = id;
    public long Requests { get; private set; }

    /// <summary>The first reply that differed from the model, or the error that ended the connection; null while all is well.</summary>
    public string? Failure { get; private set; }

    public void Run(int port, CancellationToken stop)
    {
        try
        {
            using var connection = ServerConnection.Open(port, TimeSpan.FromSeconds(60));
            var keys = KeyspaceModel.AllKeys(Id, keysPerKind).ToList();
            while (!stop.IsCancellationRequested && Failure == null)
            {
                long started = Stopwatch.GetTimestamp();
                if (_random.Next(100) < 25)
                {
                    string key = keys[_random.Next(keys.Count)];
                    string actual = ActualState.Read(connection, [key])[key], expected = _model.Render(key);
                    if (actual != expected) Failure = $"client {Id}: {key} read back {actual}, the model holds {expected}";
                }
                else
                {
                    var args = _model.NextCommand(_random, Id, keysPerKind, ++_opNumber);
                    string expected = _model.Apply(args);
                    var reply = connection.Call(args);
                    if (reply.Render() != expected) Failure = $"client {Id}: {string.Join(' ', args)} replied {reply.Render()}, the model expected {expected}";
                }
                double millis = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (_lock) _latencies.Add(millis);
                Requests++;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            if (!stop.IsCancellationRequested) Failure = $"client {Id}: connection lost: {e.Message}";
        }
    }

    /// <summary>The round trips timed since the last call.</summary>
    public List<double> TakeLatencies()
    {
        lock (_lock)
        {
            var taken = _latencies;
            _latencies = [];
            return taken;
        }
    }
}
