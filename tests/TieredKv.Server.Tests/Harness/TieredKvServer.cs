using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Hosting;

namespace TieredKv.Server.Tests.Harness;

/// <summary>Our server, in-process on a free loopback port over a temp data directory.</summary>
public sealed class TieredKvServer : IDisposable
{
    private readonly ServerHost _host;
    private readonly TempDirectory _dir = new("tkv-server-");

    internal TieredKvServer(Action<ServerOptions>? configure = null, ILoggerFactory? loggerFactory = null)
    {
        var options = new ServerOptions { Port = 0, Dir = _dir.Path, AppendFsync = Storage.WalSyncPolicy.No };
        configure?.Invoke(options);
        _host = ServerHost.Start(options, loggerFactory ?? NullLoggerFactory.Instance);
    }

    public int Port => _host.Port;

    internal ServerState State => _host.State;

    public void Dispose()
    {
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dir.Dispose();
    }
}
