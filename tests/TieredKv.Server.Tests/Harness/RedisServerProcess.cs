using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TieredKv.Server.Tests.Harness;

/// <summary>A real redis-server (Debian package) on a free loopback port, without persistence; absent when redis-server is not installed.</summary>
public sealed class RedisServerProcess : IDisposable
{
    private readonly Process? _process;

    /// <param name="arguments">More redis-server arguments; later ones win, so they may override the defaults (e.g. <c>--protected-mode yes</c>).</param>
    public RedisServerProcess(string arguments = "")
    {
        string? path = Find("redis-server");
        if (path == null) return;
        Port = FreePort();
        _process = Process.Start(new ProcessStartInfo(path, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode no --daemonize no --loglevel warning {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var c = new RawClient(Port);
                if (c.Call("PING").Length > 0) return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public bool Available => _process != null;
    public int Port { get; }

    public const string SkipMessage = "redis-server is not installed (apt-get install redis-server): differential tests need it; CI installs it";

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public void Dispose()
    {
        if (_process == null) return;
        try { _process.Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
