using System.Net;
using System.Net.Sockets;

namespace TieredKv.Client.Tests;

/// <summary>A one-connection loopback server that sends fixed reply bytes and records the request bytes it received.</summary>
internal sealed class CannedServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _serve;
    private readonly MemoryStream _received = new();

    /// <param name="close">Close the connection right after sending the replies.</param>
    public CannedServer(byte[] replies, int requestBytesBeforeReplying = 0, bool close = false)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _serve = Task.Run(() =>
        {
            using var client = _listener.AcceptTcpClient();
            var stream = client.GetStream();
            var buffer = new byte[4096];
            while (_received.Length < requestBytesBeforeReplying)
            {
                int n = stream.Read(buffer);
                if (n == 0) return;
                lock (_received) _received.Write(buffer, 0, n);
            }
            stream.Write(replies);
            if (close) return;
            // Keep reading until the client closes, so the replies are not cut off by a reset.
            int m;
            while ((m = stream.Read(buffer)) > 0)
                lock (_received) _received.Write(buffer, 0, m);
        });
    }

    public int Port { get; }

    /// <summary>The request bytes, once the client has closed the connection.</summary>
    public byte[] Received()
    {
        _serve.Wait(TimeSpan.FromSeconds(10));
        lock (_received) return _received.ToArray();
    }

    public void Dispose()
    {
        _listener.Stop();
        try { _serve.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
    }
}
