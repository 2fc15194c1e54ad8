namespace TieredKv.Server.Hosting;

/// <summary>The server cannot start with its settings and data (the message says why); it has logged the error.</summary>
internal sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
