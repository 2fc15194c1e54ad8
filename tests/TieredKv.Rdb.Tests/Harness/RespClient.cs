using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace TieredKv.Rdb.Tests.Harness;

/// <summary>An error reply.</summary>
public sealed class RespErrorException(string message) : Exception(message);

/// <summary>
/// A minimal RESP2 client: replies become string (status), long (integer), byte[] (bulk), null, or
/// List&lt;object?&gt; (array); error replies throw <see cref="RespErrorException"/>.
/// </summary>
public sealed class RespClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly BufferedStream _input;

    public RespClient(int port)
    {
        _tcp = new TcpClient();
        _tcp.Connect("127.0.0.1", port);
        _tcp.NoDelay = true;
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = 60_000;
        _input = new BufferedStream(_stream, 64 * 1024);
    }

    public object? Call(params object[] args)
    {
        Send(args);
        return Read();
    }

    /// <summary>Sends many commands before reading their replies (for filling large values quickly).</summary>
    public void Pipeline(IEnumerable<object[]> commands)
    {
        int pending = 0;
        foreach (var c in commands)
        {
            Send(c);
            if (++pending == 1000)
            {
                for (; pending > 0; pending--) Read();
            }
        }
        for (; pending > 0; pending--) Read();
    }

    public byte[]? Bulk(params object[] args) => (byte[]?)Call(args);

    public List<object?> Array(params object[] args) => (List<object?>)Call(args)!;

    public long Integer(params object[] args) => (long)Call(args)!;

    private void Send(object[] args)
    {
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes($"*{args.Length}\r\n"));
        foreach (var a in args)
        {
            byte[] b = a switch
            {
                byte[] bytes => bytes,
                string s => Encoding.UTF8.GetBytes(s),
                IFormattable f => Encoding.ASCII.GetBytes(f.ToString(null, CultureInfo.InvariantCulture)),
                _ => Encoding.UTF8.GetBytes(a.ToString()!),
            };
            ms.Write(Encoding.ASCII.GetBytes($"${b.Length}\r\n"));
            ms.Write(b);
            ms.Write("\r\n"u8);
        }
        _stream.Write(ms.GetBuffer(), 0, (int)ms.Length);
    }

    private object? Read()
    {
        string line = ReadLine();
        switch (line[0])
        {
            case '+': return line[1..];
            case '-': throw new RespErrorException(line[1..]);
            case ':': return long.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
            case '$':
            {
                int length = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                if (length < 0) return null;
                var data = new byte[length + 2];
                _input.ReadExactly(data);
                return data.AsSpan(0, length).ToArray();
            }
            case '*':
            {
                int count = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                if (count < 0) return null;
                var list = new List<object?>(count);
                for (int i = 0; i < count; i++)
                {
                    try { list.Add(Read()); }
                    catch (RespErrorException e) { list.Add(e); }
                }
                return list;
            }
            default: throw new InvalidDataException($"unexpected reply line '{line}'");
        }
    }

    private string ReadLine()
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = _input.ReadByte();
            if (b < 0) throw new EndOfStreamException("connection closed");
            if (b == '\n' && sb.Length > 0 && sb[^1] == '\r') return sb.ToString(0, sb.Length - 1);
            sb.Append((char)b);
        }
    }

    public void Dispose()
    {
        _input.Dispose();
        _tcp.Dispose();
    }
}
