using System.Diagnostics;
using System.Net.Sockets;
using TieredKv.Client;

namespace TieredKv.TestSupport;

/// <summary>
/// A real redis-server as a child process on a free loopback port over its own temp directory, without
/// persistence unless asked (<c>--save "" --appendonly no</c>), 16 databases; started when it answers PING,
/// killed and its directory removed on dispose.
/// </summary>
public sealed class RedisServer : IDisposable
{
    public const string SkipMessage = "redis-server is not installed (apt-get install redis-server redis-tools): the tests that compare with or load into a real Redis need it; CI installs it";

    private readonly Process _process;
    private readonly TempDirectory _directory = new("redis-");

    /// <summary>Starts redis-server; throws <see cref="InvalidOperationException"/> when it is not installed (check <see cref="Installed"/> first).</summary>
    /// <param name="arguments">More redis-server arguments; later ones win, so they may override the defaults (e.g. <c>--protected-mode yes</c>).</param>
    /// <param name="rdbToLoad">An RDB file copied in as <see cref="RdbPath"/> and loaded at start.</param>
    /// <param name="password">Set as <c>requirepass</c>; <see cref="Connect"/> authenticates with it.</param>
    public RedisServer(string arguments = "", string? rdbToLoad = null, string? password = null)
    {
        string path = Find("redis-server") ?? throw new InvalidOperationException(SkipMessage);
        try
        {
            if (rdbToLoad != null) File.Copy(rdbToLoad, RdbPath);
            Password = password;
            Port = LoopbackPort.Free();
            string auth = password == null ? "" : $" --requirepass {password}";
            _process = Process.Start(new ProcessStartInfo(path,
                $"--port {Port} --bind 127.0.0.1 --dir {Directory} --dbfilename {FileName} --save \"\" --appendonly no --protected-mode no --daemonize no --loglevel warning --databases 16{auth} {arguments}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("could not start redis-server");
        }
        catch
        {
            _directory.Dispose();
            throw;
        }
        try
        {
            WaitUntilReady(TimeSpan.FromSeconds(20));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A server with <paramref name="arguments"/>, or null when redis-server is not installed (the test then skips).</summary>
    public static RedisServer? StartIfInstalled(string arguments = "") => Installed ? new RedisServer(arguments) : null;

    public static bool Installed => Find("redis-server") != null;

    public int Port { get; }
    public string? Password { get; }

    /// <summary>The server's working directory (<c>--dir</c>), where SAVE writes <see cref="FileName"/>.</summary>
    public string Directory => _directory.Path;

    public string FileName => "dump.rdb";
    public string RdbPath => Path.Combine(Directory, FileName);

    /// <summary>The <c>--port</c> (and <c>--password</c>) options a client tool needs to reach this server.</summary>
    public string[] Arguments => Password == null ? ["--port", $"{Port}"] : ["--port", $"{Port}", "--password", Password];

    /// <summary>A connection, authenticated when the server has a password.</summary>
    public RespConnection Connect() =>
        RespConnection.Connect("127.0.0.1", Port, new RespConnectionOptions { IoTimeout = TimeSpan.FromSeconds(60), Password = Password });

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private void WaitUntilReady(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException("redis-server exited: " + _process.StandardOutput.ReadToEnd() + _process.StandardError.ReadToEnd());
            try
            {
                using var c = Connect();
                // Any answer but -LOADING means it serves (a password passed only in the arguments gets -NOAUTH).
                var reply = c.Call("PING");
                if (!(reply.IsError && reply.Text!.StartsWith("LOADING", StringComparison.Ordinal))) return;
            }
            catch (Exception e) when (e is SocketException or IOException or RespException) { }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException("redis-server did not start");
    }

    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _directory.Dispose();
    }
}
