using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using TieredKv.Server.Config;
using TieredKv.Server.Hosting;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Hosting;

/// <summary>The server's command line as a newcomer meets it: --help, --version, a taken port, --log-format.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public void Version_IsOneLineWithTheVersionField()
    {
        Assert.Matches(@"^TieredKv server v=\d+\.\d+\.\d+ redis-compatible=7\.0\.15 runtime=\.NET \S+ bits=64$", ServerVersion.Line);
    }

    [Fact]
    public void Help_ListsTheCommonOptionsGroupedAndEveryOtherDirective()
    {
        string help = UsageText.Render();
        Assert.Contains("Usage: tieredkv-server [config-file] [--name value ...]", help);
        Assert.Contains("Network:", help);
        Assert.Matches(@"--port\s+default 6379", help);
        Assert.Matches(@"--dir\s+default \./data", help);
        foreach (string name in ServerOptions.ParameterNames) Assert.Contains(name, help);
    }

    [Fact]
    public void PortProbe_ReportsATakenPort()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        string? problem = PortProbe.Problem(new ServerOptions { Port = port });
        Assert.Equal($"cannot listen on 127.0.0.1:{port}: Address already in use", problem);
    }

    [Fact]
    public void PortProbe_AcceptsAFreePort()
    {
        Assert.Null(PortProbe.Problem(new ServerOptions { Port = LoopbackPort.Free() }));
    }

    [Fact]
    public void LogFormat_Json_IsTakenFromTheCommandLineOnly()
    {
        Assert.True(Program.ApplyArguments(["--log-format", "json", "--port", "7000"], new ServerOptions()));
        Assert.False(Program.ApplyArguments(["--port", "7000"], new ServerOptions()));
        Assert.Throws<FormatException>(() => Program.ApplyArguments(["--log-format", "xml"], new ServerOptions()));
    }

    [Fact]
    public void ServerProcess_OnATakenPort_ExitsWithOneLineAndCreatesNoDataDirectory()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var scratch = new TempDirectory("tkv-cmdline-");
        string dataDir = Path.Combine(scratch.Path, "data");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "--port", $"{port}", "--dir", dataDir])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000));
        Assert.Equal(1, process.ExitCode);
        Assert.Equal($"tieredkv-server: cannot listen on 127.0.0.1:{port}: Address already in use", stderr.Trim());
        Assert.False(Directory.Exists(dataDir));
    }
}
