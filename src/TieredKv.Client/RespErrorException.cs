namespace TieredKv.Client;

/// <summary>An error reply to a command that had to succeed (<see cref="RespConnection.CallOrThrow"/>); <see cref="ErrorText"/> is the server's line.</summary>
public sealed class RespErrorException(string errorText, string message) : RespException(message)
{
    /// <summary>An error reported with the server's line as its message.</summary>
    public RespErrorException(string errorText) : this(errorText, errorText) { }

    /// <summary>The error line as the server sent it, without the leading '-' (e.g. <c>ERR unknown command</c>).</summary>
    public string ErrorText { get; } = errorText;
}
