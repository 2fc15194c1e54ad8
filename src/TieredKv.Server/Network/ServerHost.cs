using Microsoft.Extensions.Logging;
using TieredKv.Server.Config;

namespace TieredKv.Server.Network;

/// <summary>The store plus the listening server: what Program runs and what tests start in-process.</summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly RespServer _server;

    private ServerHost(ServerState state, RespServer server)
    {
        State = state;
        _server = server;
    }

    public ServerState State { get; }
    public int Port => _server.Port;

    public static ServerHost Start(ServerOptions options, ILoggerFactory loggerFactory)
    {
        var store = TieredKvStore.Open(options.Dir, new TieredKvOptions
        {
            Databases = options.Databases,
            MaxMemoryBytes = options.MaxMemory,
            AppendFsync = options.AppendFsync,
            DeferDurability = true, // each connection commits once per batch of commands, before replying
            LoggerFactory = loggerFactory,
            Engine = EngineOptions(options, loggerFactory),
        });
        try
        {
            var logger = loggerFactory.CreateLogger("tieredkv-server");
            if (options.ImportRdb != null) StartupImport.Run(store, options.ImportRdb, logger);
            var state = new ServerState(store, options, logger);
            state.Saver.RemoveLeftoverTempFiles();
            store.KeyExpired += (database, key) =>
                KeyspaceNotifier.Notify(state, null, null, KeyspaceEventFlags.Expired, "expired", key, database);
            var server = new RespServer(state);
            server.Start();
            return new ServerHost(state, server);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static Storage.DbOptions EngineOptions(ServerOptions options, ILoggerFactory loggerFactory)
    {
        var engine = new Storage.DbOptions { LoggerFactory = loggerFactory };
        if (options.WriteBufferSize is { } writeBuffer) engine = engine with { WriteBufferSize = writeBuffer };
        if (options.LevelBaseSize is { } levelBase) engine = engine with { MaxBytesForLevelBase = levelBase };
        if (options.TargetFileSize is { } targetFile) engine = engine with { TargetFileSize = targetFile };
        if (options.FileSystem is { } fileSystem) engine = engine with { FileSystem = fileSystem };
        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        // A background save reads through a snapshot of the store: let it finish before the store closes.
        State.Saver.WaitForBackground();
        State.Store.Dispose();
    }
}
