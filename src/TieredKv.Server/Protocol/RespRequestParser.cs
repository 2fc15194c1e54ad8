using System.Buffers;

namespace TieredKv.Server.Protocol;

/// <summary>
/// The server's request parser (RESP multibulk and inline commands, with Redis's limits and error texts) for code
/// outside the server that feeds it bytes, such as the fuzzer: parse one command at a time from a receive buffer.
/// </summary>
/// <param name="maxBulkLength">The largest bulk argument accepted (the server's <c>proto-max-bulk-len</c>, 512 MB by default).</param>
/// <param name="authenticated">False applies Redis's smaller limits for a client that has not authenticated yet.</param>
public sealed class RespRequestParser(long maxBulkLength = RespRequestParser.DefaultMaxBulkLength, bool authenticated = true)
{
    /// <summary>Redis's default <c>proto-max-bulk-len</c>.</summary>
    public const long DefaultMaxBulkLength = 512L * 1024 * 1024;

    private readonly CommandArgs _args = new();

    /// <summary>The arguments of the command the last successful <see cref="TryParse"/> returned.</summary>
    public int ArgumentCount => _args.Count;

    /// <summary>Argument <paramref name="index"/> of the last parsed command; valid until the next parse.</summary>
    public ReadOnlySpan<byte> Argument(int index) => _args[index];

    /// <summary>
    /// Parses the next command at <paramref name="reader"/>. True: a whole command was parsed (it may have no
    /// arguments, as an empty line or <c>*0</c>) and the reader moved past it. False with a null
    /// <paramref name="error"/>: more bytes are needed and nothing was consumed. False with an error: the input is
    /// not RESP; the error is Redis's reply text, and a server closes the connection.
    /// </summary>
    public bool TryParse(ref SequenceReader<byte> reader, out string? error)
    {
        var status = RespParser.TryParse(ref reader, _args, maxBulkLength, authenticated, out error);
        if (status == ParseStatus.Error) error ??= "ERR Protocol error";
        return status == ParseStatus.Complete;
    }
}
