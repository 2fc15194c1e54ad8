using Microsoft.Extensions.Logging;
using TieredKv.Server.Config;
using TieredKv.Server.Hosting;

namespace TieredKv.Server;

/// <summary>
/// tieredkv-server [config-file] [--name value …]: starts the RESP server on 127.0.0.1:6379 with
/// data in ./data unless told otherwise; flags use redis.conf names (e.g. --port 7000 --appendfsync always).
/// Exit codes: 0 after a clean shutdown (and for --help and --version), 1 when the server could not start.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            await Console.Out.WriteAsync(UsageText.Render());
            return 0;
        }
        if (args is ["--version" or "-v"])
        {
            await Console.Out.WriteLineAsync(ServerVersion.Line);
            return 0;
        }
        var options = new ServerOptions();
        bool jsonLog;
        try
        {
            jsonLog = ApplyArguments(args, options);
        }
        catch (Exception e) when (e is FormatException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"tieredkv-server: {e.Message}");
            return 1;
        }
        if (PortProbe.Problem(options) is { } portProblem)
        {
            await Console.Error.WriteLineAsync($"tieredkv-server: {portProblem}");
            return 1;
        }

        string? logFile = options.Get("logfile");
        FileLoggerProvider? fileLog;
        try
        {
            fileLog = string.IsNullOrEmpty(logFile) ? null : new FileLoggerProvider(logFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"tieredkv-server: cannot open logfile {logFile}: {e.Message}");
            return 1;
        }
        using var loggerFactory = LoggerFactory.Create(b =>
        {
            // As Redis: an empty logfile means standard output.
            if (fileLog != null) b.AddProvider(fileLog);
            else if (jsonLog) b.AddJsonConsole(o => o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz");
            else b.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff "; });
            b.SetMinimumLevel(LogLevel.Debug); // the server filters by its loglevel, which CONFIG SET changes (LiveLogLevelLoggerFactory)
        });
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
        catch (StartupException e)
        {
            // Logged already; said once more on stderr when the log went to a file, so whoever started us sees why.
            if (fileLog != null) await Console.Error.WriteLineAsync($"tieredkv-server: {e.Message}");
            return 1;
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "the server could not start");
            return 1;
        }
        await using var host = started;
        using var pidFile = PidFile.Create(options.Get("pidfile"));
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; host.State.Shutdown.Cancel(); });
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, ctx => { ctx.Cancel = true; host.State.Shutdown.Cancel(); });
        StartupBanner.Log(logger, options, host.Port);
        try
        {
            await Task.Delay(Timeout.Infinite, host.State.Shutdown.Token);
        }
        catch (OperationCanceledException) { }
        logger.LogInformation("shutting down: every acknowledged write is already in the WAL");
        return 0;
    }

    /// <summary>An optional config file first, then <c>--name value</c> pairs (later ones win); answers whether <c>--log-format json</c> was given.</summary>
    internal static bool ApplyArguments(string[] args, ServerOptions options)
    {
        bool jsonLog = false;
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
            if (name == "log-format")
            {
                jsonLog = values switch
                {
                    ["json"] => true,
                    ["text"] => false,
                    _ => throw new FormatException("--log-format takes text or json"),
                };
                continue;
            }
            // rename-command splits its arguments itself, as quoted words: an empty new name stays an argument.
            string value = name == "rename-command" ? string.Join(' ', values.Select(v => $"\"{v}\"")) : string.Join(' ', values);
            var error = options.Set(name, value);
            if (error != null) throw new FormatException(error);
        }
        return jsonLog;
    }
}
