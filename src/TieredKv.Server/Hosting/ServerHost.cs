using Microsoft.Extensions.Logging;
using TieredKv.Server.Commands;
using TieredKv.Server.Config;
using TieredKv.Server.Dispatch;
using TieredKv.Server.Network;
using TieredKv.Server.Notifications;

namespace TieredKv.Server.Hosting;

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
        loggerFactory = new LiveLogLevelLoggerFactory(loggerFactory, options); // CONFIG SET loglevel takes effect at once
        var store = OpenStore(options, loggerFactory);
        ServerState? state = null;
        try
        {
            var logger = loggerFactory.CreateLogger("tieredkv-server");
            if (options.ImportRdb != null) StartupImport.Run(store, options.ImportRdb, options.Dir, logger);
            state = new ServerState(store, options, logger, CommandGroups.Register);
            state.Saver.RemoveLeftoverTempFiles();
            KeyspaceNotifier.Attach(state); // for the store's lifetime, "expired" included
            TrackingInvalidator.Attach(state); // client-side caching's invalidations, likewise
            var server = new RespServer(state);
            try
            {
                server.Start();
            }
            catch (System.Net.Sockets.SocketException e)
            {
                logger.LogError("cannot listen on port {Port}: {Reason}", options.Port, e.Message);
                throw new StartupException($"cannot listen on port {options.Port}: {e.Message}", e);
            }
            state.Monitoring.ListeningPort = server.Port;
            return new ServerHost(state, server);
        }
        catch
        {
            state?.Monitoring.Dispose();
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the store, or logs why it cannot be opened (a damaged or missing file, named with its offset; a
    /// directory that cannot be written) and stops the start: the engine has changed nothing in that case.
    /// </summary>
    private static TieredKvStore OpenStore(ServerOptions options, ILoggerFactory loggerFactory)
    {
        try
        {
            return TieredKvStore.Open(options.Dir, new TieredKvOptions
            {
                Databases = options.Databases,
                MaxMemoryBytes = options.MaxMemory,
                AppendFsync = options.AppendFsync switch
                {
                    Storage.WalSyncPolicy.Always => AppendFsync.Always,
                    Storage.WalSyncPolicy.No => AppendFsync.No,
                    _ => AppendFsync.EverySec,
                },
                DeferDurability = true, // each connection commits once per batch of commands, before replying
                LoggerFactory = loggerFactory,
                Engine = EngineOptions(options),
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string hint = e is Storage.Format.CorruptionException
                ? " (nothing was changed; start with --tieredkv-recovery salvage to open without the damaged data, or restore a backup)"
                : "";
            string message = $"cannot open the data directory {Path.GetFullPath(options.Dir)}: {e.Message}{hint}";
            loggerFactory.CreateLogger("tieredkv-server").LogError("{Message}", message);
            throw new StartupException(message, e);
        }
    }

    private static StorageOptions EngineOptions(ServerOptions options)
    {
        var engine = new StorageOptions
        {
            Recovery = options.Recovery == Storage.Format.WalRecoveryMode.Salvage ? RecoveryMode.Salvage : RecoveryMode.Strict,
        };
        if (options.WriteBufferSize is { } writeBuffer) engine = engine with { WriteBufferSize = writeBuffer };
        if (options.LevelBaseSize is { } levelBase) engine = engine with { MaxBytesForLevelBase = levelBase };
        if (options.TargetFileSize is { } targetFile) engine = engine with { TargetFileSize = targetFile };
        if (options.FileSystem is { } fileSystem) engine = engine with { FileSystem = fileSystem };
        return engine;
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        State.Monitoring.Dispose();
        // A background save reads through a snapshot of the store: let it finish before the store closes.
        State.Saver.WaitForBackground();
        State.Store.Dispose();
    }
}
