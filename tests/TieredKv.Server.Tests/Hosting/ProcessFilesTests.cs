using Microsoft.Extensions.Logging;
using TieredKv.Server.Hosting;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Hosting;

/// <summary>The files a redis.conf asks the process for: pidfile and logfile.</summary>
public sealed class ProcessFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new("tkv-process-files-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void PidFile_HoldsThePidUntilDisposed()
    {
        string path = Path.Combine(_dir.Path, "tkv.pid");
        using (PidFile.Create(path))
            Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void PidFile_NotConfigured_WritesNothing()
    {
        Assert.Null(PidFile.Create(""));
        Assert.Null(PidFile.Create(null));
    }

    [Fact]
    public void LogFile_AppendsOneLinePerMessageWithItsLevel()
    {
        string path = Path.Combine(_dir.Path, "tkv.log");
        File.WriteAllText(path, "earlier line\n");
        using (var provider = new FileLoggerProvider(path))
        {
            var logger = provider.CreateLogger("tieredkv-server");
            logger.LogInformation("ready on port {Port}", 7000);
            logger.LogWarning("careful");
        }
        var lines = File.ReadAllLines(path);
        Assert.Equal("earlier line", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} info: tieredkv-server ready on port 7000$", lines[1]);
        Assert.EndsWith("warn: tieredkv-server careful", lines[2]);
    }
}
