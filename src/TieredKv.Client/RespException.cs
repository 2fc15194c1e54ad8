namespace TieredKv.Client;

/// <summary>The server broke the protocol (an unexpected reply line, a bad length), or answered a command that had to succeed with an error.</summary>
public class RespException(string message) : Exception(message);
