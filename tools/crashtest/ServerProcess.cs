using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TieredKv.CrashTest;

/// <summary>A server under test (tieredkv-server.dll, or redis-server) as a child process, which <see cref="KillHard"/> ends with SIGKILL.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public int Pid => _process.Id;

    /// <summary>What the server printed (its log), for reports of a failed start or a violation.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Starts the server and, unless <paramref name="timeout"/> is zero, waits until it answers PING.</summary>
    public static ServerProcess Start(string serverDll, string dataDir, IEnumerable<string> arguments, TimeSpan timeout) =>
        Start("dotnet", port => [serverDll, "--port", port.ToString(), "--dir", dataDir, .. arguments], timeout);

    /// <summary>Starts <paramref name="program"/> with the arguments made for a free port and, unless <paramref name="timeout"/> is zero, waits until it answers PING.</summary>
    public static ServerProcess Start(string program, Func<int, IEnumerable<string>> arguments, TimeSpan timeout)
    {
        int port = FreePort();
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments(port)) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (timeout > TimeSpan.Zero) server.WaitUntilReady(timeout);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_output) _output.AppendLine(line);
    }

    private void WaitUntilReady(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // drains the redirected output
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} while starting:\n{Output}");
            }
            try
            {
                using var c = ServerConnection.Open(Port, TimeSpan.FromSeconds(5));
                if (c.Call("PING").Text == "PONG") return;
            }
            catch (Exception e) when (e is SocketException or IOException) { }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"the server did not answer PING within {timeout}:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, buffers in the process are lost, the OS keeps what was written.</summary>
    public void KillHard()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>
    /// SIGKILL without waiting: a process inside a request its FUSE daemon is serving exits only once
    /// that daemon answers or dies, so a power cut kills both before waiting with <see cref="WaitForExit"/>.
    /// </summary>
    public void SendKill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Waits for the process to end; false when it still runs after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Resident memory of the server process in bytes (VmRSS), or -1 when unreadable.</summary>
    public long ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim()) * 1024;
        }
        catch (IOException) { }
        return -1;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            SendKill();
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }
}
