namespace TieredKv.Tools.Resp;

/// <summary>The server answered a command kvtool cannot do without (AUTH, SELECT, SCAN) with an error, or broke the protocol.</summary>
public sealed class RespException(string message) : Exception(message);
