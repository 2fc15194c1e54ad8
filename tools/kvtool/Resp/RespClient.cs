using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace TieredKv.Tools.Resp;

/// <summary>
/// A blocking RESP2 client for kvtool's online verbs. Commands are buffered by <see cref="Send"/> and go out
/// on <see cref="Flush"/> (or before a read), so a caller pipelines by sending several commands before reading
/// their replies in order.
/// </summary>
public sealed class RespClient : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly TcpClient _tcp;
    private readonly BufferedStream _output;
    private readonly BufferedStream _input;
    private readonly string _endpoint;

    public RespClient(string host, int port, TimeSpan timeout)
    {
        _endpoint = $"{host}:{port}";
        _tcp = new TcpClient { NoDelay = true };
        try
        {
            _tcp.Connect(host, port);
        }
        catch (SocketException e)
        {
            _tcp.Dispose();
            throw new IOException($"cannot connect to {_endpoint}: {e.Message}", e);
        }
        var stream = _tcp.GetStream();
        stream.ReadTimeout = stream.WriteTimeout = (int)timeout.TotalMilliseconds;
        _output = new BufferedStream(stream, BufferSize);
        _input = new BufferedStream(stream, BufferSize);
    }

    /// <summary>Connects and, when a password is given, authenticates (AUTH fails the connection).</summary>
    public static RespClient Connect(string host, int port, string? password, TimeSpan timeout)
    {
        var client = new RespClient(host, port, timeout);
        try
        {
            if (password != null) client.CallOrThrow("AUTH", password);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Buffers one command; arguments are byte arrays, strings (UTF-8) or integers.</summary>
    public void Send(params object[] args)
    {
        WriteHeader('*', args.Length);
        foreach (var arg in args)
        {
            byte[] bytes = arg switch
            {
                byte[] b => b,
                string s => Encoding.UTF8.GetBytes(s),
                long or int => Encoding.ASCII.GetBytes(((IFormattable)arg).ToString(null, CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"cannot send a {arg.GetType().Name} as a RESP argument", nameof(args)),
            };
            WriteHeader('$', bytes.Length);
            _output.Write(bytes);
            _output.Write("\r\n"u8);
        }
    }

    public void Flush() => _output.Flush();

    /// <summary>Reads the next reply (flushing buffered commands first).</summary>
    public RespReply Read()
    {
        _output.Flush();
        return ReadReply();
    }

    public RespReply Call(params object[] args)
    {
        Send(args);
        return Read();
    }

    /// <summary>A command whose error reply means kvtool cannot go on.</summary>
    public RespReply CallOrThrow(params object[] args)
    {
        var reply = Call(args);
        if (reply.IsError) throw new RespException($"{_endpoint} refused {args[0]}: {reply.Text}");
        return reply;
    }

    private void WriteHeader(char kind, int n)
    {
        Span<byte> line = stackalloc byte[16];
        line[0] = (byte)kind;
        Utf8Formatter.TryFormat(n, line[1..], out int written);
        line[1 + written] = (byte)'\r';
        line[2 + written] = (byte)'\n';
        _output.Write(line[..(3 + written)]);
    }

    private RespReply ReadReply()
    {
        string line = ReadLine();
        if (line.Length == 0) throw new RespException($"{_endpoint} sent an empty reply line");
        switch (line[0])
        {
            case '+' or '-':
                return new RespReply(line[0], line[1..], 0, null, null);
            case ':':
                return new RespReply(':', null, ParseNumber(line), null, null);
            case '$':
            {
                long length = ParseNumber(line);
                if (length < 0) return new RespReply('$', null, 0, null, null);
                var data = new byte[length + 2];
                _input.ReadExactly(data);
                return new RespReply('$', null, 0, data.AsSpan(0, (int)length).ToArray(), null);
            }
            case '*':
            {
                long count = ParseNumber(line);
                if (count < 0) return new RespReply('*', null, 0, null, null);
                var items = new RespReply[count];
                for (int i = 0; i < count; i++) items[i] = ReadReply();
                return new RespReply('*', null, 0, null, items);
            }
            default:
                throw new RespException($"{_endpoint} sent an unexpected reply line '{line}'");
        }
    }

    private long ParseNumber(string line) =>
        long.TryParse(line.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? n
            : throw new RespException($"{_endpoint} sent a bad length or integer '{line}'");

    private string ReadLine()
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = _input.ReadByte();
            if (b < 0) throw new IOException($"{_endpoint} closed the connection");
            if (b == '\n' && sb.Length > 0 && sb[^1] == '\r') return sb.ToString(0, sb.Length - 1);
            sb.Append((char)b);
        }
    }

    public void Dispose()
    {
        // Disposing flushes commands still buffered; after a failure the connection may be gone, and that error was already raised.
        try { _output.Dispose(); }
        catch (IOException) { }
        _input.Dispose();
        _tcp.Dispose();
    }
}
