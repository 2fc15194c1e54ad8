using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TieredKv.Tools.Resp;

namespace TieredKv.Tools.Tests.Harness;

/// <summary>A real redis-server on a free loopback port over a temp directory, optionally loading an RDB file at start.</summary>
public sealed class RedisServer : IDisposable
{
    public const string SkipMessage = "redis-server is not installed (apt-get install redis-server redis-tools): the online dump/restore tests need it";

    private readonly Process _process;

    public RedisServer(string? rdbToLoad = null, string? password = null)
    {
        string path = Find("redis-server") ?? throw new InvalidOperationException(SkipMessage);
        Directory = Path.Combine(Path.GetTempPath(), "kvtool-redis-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        if (rdbToLoad != null) File.Copy(rdbToLoad, Path.Combine(Directory, "dump.rdb"));
        Password = password;
        Port = LoopbackPort.Free();
        string auth = password == null ? "" : $" --requirepass {password}";
        _process = Process.Start(new ProcessStartInfo(path,
            $"--port {Port} --bind 127.0.0.1 --dir {Directory} --dbfilename dump.rdb --save \"\" --appendonly no --protected-mode no --daemonize no --loglevel warning --databases 16{auth}")
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
                using var c = Connect();
                if (c.Call("PING").ToString() == "PONG") return;
            }
            catch (IOException) { }
            catch (RespException) { } // -LOADING while it reads the file
            Thread.Sleep(50);
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public static bool Installed => Find("redis-server") != null;

    public int Port { get; }
    public string? Password { get; }
    public string Directory { get; }

    /// <summary>The arguments kvtool needs to reach this server.</summary>
    public string[] Arguments => Password == null ? ["--port", $"{Port}"] : ["--port", $"{Port}", "--password", Password];

    public RespClient Connect() => RespClient.Connect("127.0.0.1", Port, Password, TimeSpan.FromSeconds(30));

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);


    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
