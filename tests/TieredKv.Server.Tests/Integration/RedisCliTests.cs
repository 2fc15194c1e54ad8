using System.Diagnostics;
using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Integration;

/// <summary>redis-cli works unchanged: commands, inline input, and --pipe mass insertion.</summary>
public sealed class RedisCliTests : IDisposable
{
    private readonly TieredKvServer _server = new();

    public void Dispose() => _server.Dispose();

    private static string? RedisCli => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
        .Select(d => Path.Combine(d, "redis-cli")).FirstOrDefault(File.Exists);

    private (int Exit, string Output) Run(string arguments, string? stdin = null)
    {
        Skip.If(RedisCli == null, "redis-cli is not installed (apt-get install redis-tools); CI installs it");
        var psi = new ProcessStartInfo(RedisCli!, $"-p {_server.Port} {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000), "redis-cli did not finish");
        return (p.ExitCode, output);
    }

    [SkippableFact]
    public void Commands_FromArguments_AndFromStandardInput()
    {
        Assert.Equal("OK", Run("set greeting hello").Output.Trim());
        Assert.Equal("hello", Run("get greeting").Output.Trim());
        var (_, output) = Run("", "SET a 1\nINCR a\nGET a\n");
        Assert.Equal(["OK", "2", "2"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void Pipe_MassInsertion_WritesEveryKey()
    {
        const int count = 20_000;
        var protocol = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string key = $"key:{i}", value = $"value:{i}";
            protocol.Append($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n{key}\r\n${value.Length}\r\n{value}\r\n");
        }
        var (exit, output) = Run("--pipe", protocol.ToString());
        Assert.Equal(0, exit);
        Assert.Contains($"errors: 0, replies: {count}", output);
        Assert.Equal(count.ToString(), Run("dbsize").Output.Trim());
        Assert.Equal("value:12345", Run("get key:12345").Output.Trim());
    }

    [SkippableFact]
    public void InlineCommand_OverRawSocket_IsUnderstood()
    {
        using var client = new RawClient(_server.Port);
        client.SendRaw("PING\r\n"u8.ToArray());
        Assert.Equal("+PONG\r\n", Encoding.ASCII.GetString(client.ReadReply()));
    }
}
