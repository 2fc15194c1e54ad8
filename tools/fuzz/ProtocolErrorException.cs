namespace TieredKv.Fuzz;

/// <summary>The RESP parser answered <c>ParseStatus.Error</c>: its documented way of refusing a request (the connection is closed).</summary>
internal sealed class ProtocolErrorException(string message) : Exception(message);
