namespace TieredKv.CrashTest;

/// <summary>
/// The server a torture runs against: ours (tieredkv-server.dll, with small engine sizes and the engine's own
/// checks) or a real redis-server with its AOF, so that both are measured by the same writers and checks.
/// </summary>
internal sealed class ServerTarget(CrashTestOptions options)
{
    /// <summary>True for our server: INFO tieredkv counters, the dump.rdb check and the final engine verification apply.</summary>
    public bool IsTieredKv => options.Target == "tieredkv";

    public ServerProcess Start(string dataDir, TimeSpan timeout) => IsTieredKv
        ? ServerProcess.Start(options.ServerDll, dataDir,
        [
            "--appendfsync", options.Fsync, "--loglevel", "warning",
            "--tieredkv-write-buffer-size", options.WriteBufferSize,
            "--tieredkv-level-base-size", options.LevelBaseSize,
            "--tieredkv-target-file-size", options.TargetFileSize,
        ], timeout)
        : ServerProcess.Start(options.RedisServer, port =>
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", dataDir, "--appendonly", "yes", "--appendfsync", options.Fsync, "--save", "",
            "--protected-mode", "no", "--daemonize", "no", "--loglevel", "warning",
            // AOF rewrites (a new base file and a manifest renamed into place) every few seconds, as our flushes and compactions.
            "--auto-aof-rewrite-min-size", "1mb",
        ], timeout);
}
