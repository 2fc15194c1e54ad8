using Microsoft.Extensions.Logging;
using TieredKv.Server.Config;
using TieredKv.Server.Hosting;

namespace TieredKv.Server;

/// <summary>
/// tieredkv-server [config-file] [--name value …]: starts the RESP server on 127.0.0.1:6379 with
/// data in ./data unless told otherwise; flags use redis.conf names (e.g. --port 7000 --appendfsync always).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = new ServerOptions();
        try
        {
            ApplyArguments(args, options);
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException)
        {
            await Console.Error.WriteLineAsync($"tieredkv-server: {e.Message}");
            return 1;
        }

        using var loggerFactory = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff "; })
            .SetMinimumLevel(LogLevel.Debug)); // the server filters by its loglevel, which CONFIG SET changes (LiveLogLevelLoggerFactory)
        var logger = new LiveLogLevelLoggerFactory(loggerFactory, options).CreateLogger("tieredkv-server");

        ServerHost started;
        try
        {
            started = ServerHost.Start(options, loggerFactory);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"tieredkv-server: {e.Message}");
            return 1;
        }
        catch (StartupException)
        {
            return 1; // already logged
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "the server could not start");
            return 1;
        }
        await using var host = started;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; host.State.Shutdown.Cancel(); });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, ctx => { ctx.Cancel = true; host.State.Shutdown.Cancel(); });
        logger.LogInformation("ready to accept connections on port {Port}, data in {Dir}", host.Port, Path.GetFullPath(options.Dir));
        try
        {
            await Task.Delay(Timeout.Infinite, host.State.Shutdown.Token);
        }
        catch (OperationCanceledException) { }
        logger.LogInformation("shutting down: every acknowledged write is already in the WAL");
        return 0;
    }

    /// <summary>An optional config file first, then <c>--name value</c> pairs (later ones win).</summary>
    internal static void ApplyArguments(string[] args, ServerOptions options)
    {
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            ConfigFile.Apply(args[0], options);
            i = 1;
        }
        for (; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new FormatException($"unexpected argument '{args[i]}'");
            string name = args[i][2..].ToLowerInvariant();
            var values = new List<string>();
            while (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) values.Add(args[++i]);
            // rename-command splits its arguments itself, as quoted words: an empty new name stays an argument.
            string value = name == "rename-command" ? string.Join(' ', values.Select(v => $"\"{v}\"")) : string.Join(' ', values);
            var error = options.Set(name, value);
            if (error != null) throw new FormatException(error);
        }
    }
}
