using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using TieredKv.Client;

namespace TieredKv.Tools.Tests.Harness;

/// <summary>Our server (tieredkv-server.dll, built beside the tests) as a child process on a free loopback port over a temp data directory.</summary>
public sealed class TieredKvServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TempDirectory _dataDir = new("kvtool-tkv-");

    public TieredKvServerProcess()
    {
        Port = LoopbackPort.Free();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "tieredkv-server.dll"), "--port", $"{Port}", "--dir", DataDir, "--appendfsync", "no"])
            info.ArgumentList.Add(a);
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"tieredkv-server exited with {_process.ExitCode}: {Log}");
            try
            {
                using var c = Connect();
                if (c.Call("PING").ToString() == "PONG") return;
            }
            catch (Exception e) when (e is IOException or SocketException) { }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"tieredkv-server did not start: {Log}");
    }

    public int Port { get; }
    public string DataDir => _dataDir.Path;
    public string[] Arguments => ["--port", $"{Port}"];

    private string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public RespConnection Connect() => RespConnection.Connect("127.0.0.1", Port);

    private void Append(string? line)
    {
        if (line == null) return;
        lock (_log) _log.AppendLine(line);
    }


    public void Dispose()
    {
        try { _process.Kill(); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        _process.Dispose();
        _dataDir.Dispose();
    }
}
