using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TieredKv.Rdb.Tests.Harness;

/// <summary>A real redis-server on a free loopback port whose RDB file is <see cref="RdbPath"/> in a temp directory.</summary>
public sealed class RedisProcess : IDisposable
{
    public const string SkipMessage = "redis-server is not installed (apt-get install redis-server redis-tools): RDB compatibility tests need it; CI installs it";

    private readonly Process _process;
    private readonly bool _ownsDirectory;

    /// <summary>Starts redis-server; when <paramref name="dbFilePath"/> is given it loads that file at startup.</summary>
    public RedisProcess(string? dbFilePath = null)
    {
        string path = Find("redis-server") ?? throw new InvalidOperationException(SkipMessage);
        if (dbFilePath == null)
        {
            Directory = Path.Combine(Path.GetTempPath(), "rdbtest-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Directory);
            FileName = "dump.rdb";
            _ownsDirectory = true;
        }
        else
        {
            Directory = Path.GetDirectoryName(Path.GetFullPath(dbFilePath))!;
            FileName = Path.GetFileName(dbFilePath);
        }
        Port = FreePort();
        _process = Process.Start(new ProcessStartInfo(path,
            $"--port {Port} --bind 127.0.0.1 --dir {Directory} --dbfilename {FileName} --save \"\" --appendonly no --protected-mode no --daemonize no --loglevel warning --databases 16")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("redis-server exited: " + _process.StandardOutput.ReadToEnd() + _process.StandardError.ReadToEnd());
            try
            {
                using var c = new RespClient(Port);
                if (c.Call("PING") is "PONG") return;
            }
            catch (SocketException) { Thread.Sleep(50); }
            catch (IOException) { Thread.Sleep(50); }
            catch (RespErrorException) { Thread.Sleep(50); } // -LOADING while it reads the file
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public static bool Installed => Find("redis-server") != null;

    public int Port { get; }
    public string Directory { get; }
    public string FileName { get; }
    public string RdbPath => Path.Combine(Directory, FileName);

    public RespClient Connect() => new(Port);

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
        if (_ownsDirectory)
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
