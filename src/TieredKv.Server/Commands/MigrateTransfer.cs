using System.Net.Sockets;
using System.Text;

namespace TieredKv.Server.Commands;

/// <summary>
/// MIGRATE's conversation with the target, asynchronous and bounded by its timeout per step, as Redis's
/// syncWrite/syncReadLine: connect, write the whole request, then read one line per command (AUTH, SELECT, each
/// RESTORE). Never faults: what went wrong is in the <see cref="Outcome"/>, in Redis's words.
/// </summary>
internal static class MigrateTransfer
{
    /// <summary>
    /// The replies read (AUTH's and SELECT's in <see cref="Prelude"/>, one per RESTORE in <see cref="Replies"/>, each a
    /// first line such as "+OK" or "-BUSYKEY …"), and Redis's IOERR text when the conversation broke off.
    /// </summary>
    internal sealed record Outcome(List<string> Prelude, List<string> Replies, string? Failure);

    private const string ConnectFailed = "IOERR error or timeout connecting to the client";
    private const string WriteFailed = "IOERR error or timeout writing to target instance";
    private const string ReadFailed = "IOERR error or timeout reading to target instance";

    public static async Task<Outcome> RunAsync(string host, string port, byte[] request, int preludeReplies, int restoreReplies, TimeSpan timeout)
    {
        var prelude = new List<string>();
        var replies = new List<string>();
        if (!int.TryParse(port, out int portNumber) || portNumber is < 0 or > 65535) return new(prelude, replies, ConnectFailed);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connecting = new CancellationTokenSource(timeout);
            await socket.ConnectAsync(host, portNumber, connecting.Token);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Redis connects without blocking and learns of the refusal only when it writes.
            return new(prelude, replies, WriteFailed);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException)
        {
            return new(prelude, replies, ConnectFailed);
        }
        using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            using var writing = new CancellationTokenSource(timeout);
            await stream.WriteAsync(request, writing.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return new(prelude, replies, WriteFailed);
        }
        var reader = new LineReader(stream, timeout);
        try
        {
            for (int i = 0; i < preludeReplies; i++) prelude.Add(await reader.ReadLineAsync());
            for (int i = 0; i < restoreReplies; i++) replies.Add(await reader.ReadLineAsync());
            return new(prelude, replies, null);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            return new(prelude, replies, ReadFailed);
        }
    }

    /// <summary>Reads CRLF-terminated lines, each within the timeout; replies longer than a line are not expected.</summary>
    private sealed class LineReader(NetworkStream stream, TimeSpan timeout)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start, _end;

        public async Task<string> ReadLineAsync()
        {
            using var reading = new CancellationTokenSource(timeout);
            var line = new List<byte>();
            while (true)
            {
                for (; _start < _end; _start++)
                {
                    byte b = _buffer[_start];
                    if (b == '\n')
                    {
                        _start++;
                        if (line.Count > 0 && line[^1] == '\r') line.RemoveAt(line.Count - 1);
                        return Encoding.UTF8.GetString([.. line]);
                    }
                    line.Add(b);
                }
                _start = 0;
                _end = await stream.ReadAsync(_buffer, reading.Token);
                if (_end == 0) throw new IOException("the target closed the connection");
            }
        }
    }
}
