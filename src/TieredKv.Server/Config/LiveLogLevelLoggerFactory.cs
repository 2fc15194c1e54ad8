using Microsoft.Extensions.Logging;

namespace TieredKv.Server.Config;

/// <summary>
/// Makes the loglevel parameter take effect while running: every logger the server (and its store) creates asks
/// the options' current level, so CONFIG SET loglevel changes what is logged from the next message on. Redis's
/// levels map onto .NET's: debug and verbose to Debug, notice to Information, warning to Warning. The wrapped
/// factory is not owned: whoever created it disposes it.
/// </summary>
internal sealed class LiveLogLevelLoggerFactory(ILoggerFactory inner, ServerOptions options) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName), options);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() { }

    /// <summary>The least severe .NET level a Redis loglevel lets through.</summary>
    public static LogLevel Minimum(string redisLevel) => redisLevel switch
    {
        "debug" or "verbose" => LogLevel.Debug,
        "warning" => LogLevel.Warning,
        _ => LogLevel.Information,
    };

    private sealed class Logger(ILogger inner, ServerOptions options) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= Minimum(options.LogLevel) && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
