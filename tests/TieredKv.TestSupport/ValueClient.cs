using TieredKv.Client;

namespace TieredKv.TestSupport;

/// <summary>
/// The tests' RESP client for asserting on values: replies become string (status), long (integer), byte[] (bulk),
/// null (nil) or List&lt;object?&gt; (array, an error element as its <see cref="RespErrorException"/>); an error
/// reply throws <see cref="RespErrorException"/> whose message is the server's line.
/// </summary>
public sealed class ValueClient : IDisposable
{
    private const int PipelineWindow = 1000;

    private readonly RespConnection _connection;

    public ValueClient(int port, string host = "127.0.0.1") =>
        _connection = RespConnection.Connect(host, port, new RespConnectionOptions { IoTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>Sends one command (byte[], string or number arguments) and returns its reply as a value.</summary>
    public object? Call(params object[] args)
    {
        _connection.Send(args);
        return ReadValue();
    }

    /// <summary>Sends many commands before reading their replies (for filling large values quickly); an error reply throws.</summary>
    public void Pipeline(IEnumerable<object[]> commands)
    {
        int pending = 0;
        foreach (var c in commands)
        {
            _connection.Send(c);
            if (++pending == PipelineWindow)
            {
                for (; pending > 0; pending--) ReadValue();
            }
        }
        for (; pending > 0; pending--) ReadValue();
    }

    public byte[]? Bulk(params object[] args) => (byte[]?)Call(args);

    public List<object?> Array(params object[] args) => (List<object?>)Call(args)!;

    public long Integer(params object[] args) => (long)Call(args)!;

    private object? ReadValue()
    {
        var reply = _connection.Read();
        return reply.IsError ? throw new RespErrorException(reply.Text!) : ToValue(reply);
    }

    private static object? ToValue(RespReply reply) => reply.Kind switch
    {
        RespReplyKind.Error => new RespErrorException(reply.Text!),
        RespReplyKind.Integer or RespReplyKind.Boolean => reply.Integer,
        RespReplyKind.BulkString or RespReplyKind.VerbatimString => reply.Bulk,
        RespReplyKind.Null => null,
        RespReplyKind.Array or RespReplyKind.Set or RespReplyKind.Push or RespReplyKind.Map => reply.Items!.Select(ToValue).ToList(),
        _ => reply.Text,
    };

    public void Dispose() => _connection.Dispose();
}
