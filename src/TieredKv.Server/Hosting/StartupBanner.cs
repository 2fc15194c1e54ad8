using Microsoft.Extensions.Logging;
using TieredKv.Server.Config;
using TieredKv.Storage;

namespace TieredKv.Server.Hosting;

/// <summary>The start-up lines: what runs (version, pid), where (port, data directory) and how (fsync, memory), and what a redis.conf asked for that this server does not do.</summary>
internal static class StartupBanner
{
    public static void Log(ILogger logger, ServerOptions options, int port)
    {
        logger.LogInformation("TieredKv {Version} (Redis {Redis} compatible), pid {Pid}, .NET {Runtime}", ServerVersion.Number,
            Commands.ServerCommands.CompatibleVersion, Environment.ProcessId, Environment.Version);
        logger.LogInformation("appendfsync {Fsync}; hot tier (maxmemory) {HotTier}, memtable {MemTable}; every key also on disk",
            FsyncName(options.AppendFsync), Size(options.MaxMemory), options.WriteBufferSize is { } w ? Size(w) : "engine default");
        if (options.Get("daemonize") == "yes")
            logger.LogWarning("daemonize yes is ignored: the server stays in the foreground (run it under systemd or a supervisor)");
        logger.LogInformation("ready to accept connections on port {Port}, data in {Dir}", port, Path.GetFullPath(options.Dir));
    }

    private static string FsyncName(WalSyncPolicy policy) => policy switch
    {
        WalSyncPolicy.Always => "always",
        WalSyncPolicy.No => "no",
        _ => "everysec",
    };

    private static string Size(long bytes) => bytes >= 1 << 30 && bytes % (1 << 30) == 0 ? $"{bytes >> 30}gb"
        : bytes >= 1 << 20 ? $"{bytes >> 20}mb"
        : $"{bytes}b";
}
