using System.Net;
using System.Net.Sockets;

namespace TieredKv.Client;

/// <summary>
/// A blocking RESP connection to a Redis-compatible server. <see cref="Send"/> buffers a command and
/// <see cref="Read"/> returns the next reply in order, flushing what is buffered first, so a caller
/// pipelines by sending many commands before reading their replies. Not thread-safe: one user at a time.
/// </summary>
/// <example>
/// <code>
/// using var c = RespConnection.Connect("127.0.0.1", 6379);
/// c.CallOrThrow("SET", "k", "v");
/// foreach (var key in keys) c.Send("GET", key);   // all in flight
/// foreach (var key in keys) Use(c.Read().Bulk);   // replies in order
/// </code>
/// </example>
public sealed class RespConnection : IDisposable
{
    private readonly NetworkStream _stream;
    private readonly BufferedStream _output;
    private readonly RespWriter _writer;
    private readonly RespReader _reader;

    private RespConnection(Socket socket, string endpoint, RespConnectionOptions options)
    {
        Endpoint = endpoint;
        var stream = _stream = new NetworkStream(socket, ownsSocket: true);
        stream.ReadTimeout = stream.WriteTimeout = (int)options.IoTimeout.TotalMilliseconds;
        _output = new BufferedStream(stream, options.BufferSize);
        _writer = new RespWriter(_output);
        _reader = new RespReader(stream, options.BufferSize, endpoint);
    }

    /// <summary>The <c>host:port</c> this connection was made to, as error messages name it.</summary>
    public string Endpoint { get; }

    /// <summary>
    /// Connects (a refused or timed-out connection throws <see cref="SocketException"/>) and, when
    /// <see cref="RespConnectionOptions.Password"/> is set, authenticates (an error reply throws <see cref="RespErrorException"/>).
    /// </summary>
    public static RespConnection Connect(string host, int port, RespConnectionOptions? options = null)
    {
        options ??= new RespConnectionOptions();
        var connection = new RespConnection(ConnectSocket(host, port, options.ConnectTimeout), $"{host}:{port}", options);
        try
        {
            if (options.Password != null)
            {
                if (options.User == null) connection.CallOrThrow("AUTH", options.Password);
                else connection.CallOrThrow("AUTH", options.User, options.Password);
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A connected blocking socket. The connect is a blocking one bounded by the send timeout (which Linux applies to
    /// connect), not an async or non-blocking one: such a socket stays in the runtime's event loop, and every blocking
    /// read on it then costs several syscalls more (a quarter more time for a pipelined restore).
    /// </summary>
    private static Socket ConnectSocket(string host, int port, TimeSpan timeout)
    {
        IPAddress[] addresses = IPAddress.TryParse(host, out var literal) ? [literal] : Dns.GetHostAddresses(host);
        SocketException? failure = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = (int)timeout.TotalMilliseconds };
            try
            {
                socket.Connect(address, port);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failure = e;
            }
        }
        throw failure ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>
    /// Buffers one command. Arguments are byte arrays, <see cref="ReadOnlyMemory{T}"/> of bytes, strings (sent
    /// as UTF-8) or numbers (sent in invariant-culture text); the command goes out on <see cref="Flush"/> or the next read.
    /// </summary>
    public void Send(params object[] args)
    {
        ArgumentOutOfRangeException.ThrowIfZero(args.Length);
        _writer.WriteCommand(args);
    }

    /// <summary>Buffers bytes as they are (a hand-made or deliberately malformed request).</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes) => _writer.WriteRaw(bytes);

    /// <summary>Sends every buffered command.</summary>
    public void Flush() => _output.Flush();

    /// <summary>Reads the next reply (flushing buffered commands first); a closed connection throws <see cref="EndOfStreamException"/>.</summary>
    public RespReply Read()
    {
        _output.Flush();
        return _reader.Read();
    }

    /// <summary>Reads the next reply (flushing buffered commands first) as exactly the bytes it arrived as, for byte-for-byte comparisons.</summary>
    public byte[] ReadRaw()
    {
        _output.Flush();
        return _reader.ReadRaw();
    }

    /// <summary>Sends one command and reads its reply (an error reply is returned, not thrown).</summary>
    public RespReply Call(params object[] args)
    {
        Send(args);
        return Read();
    }

    /// <summary>Sends a command that has to succeed: an error reply throws <see cref="RespErrorException"/>.</summary>
    public RespReply CallOrThrow(params object[] args)
    {
        var reply = Call(args);
        if (reply.IsError) throw new RespErrorException(reply.Text!, $"{Endpoint} refused {args[0]}: {reply.Text}");
        return reply;
    }

    /// <summary>
    /// Flushes, then blocks until the server sends more or closes the connection (up to the I/O timeout);
    /// true when it closed. Bytes that arrive instead stay buffered for the next read.
    /// </summary>
    public bool WaitForClose()
    {
        try
        {
            _output.Flush();
        }
        catch (IOException)
        {
            return true;
        }
        return _reader.WaitForEnd();
    }

    public void Dispose()
    {
        // Disposing flushes commands still buffered; after a failure the connection may be gone, and that error was already raised.
        try { _output.Dispose(); }
        catch (IOException) { }
        _stream.Dispose();
    }
}
