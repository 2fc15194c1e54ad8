using System.Net.Sockets;
using System.Text;

namespace TieredKv.Server.Tests.Harness;

/// <summary>A minimal RESP client that returns each reply as its exact bytes, for byte-for-byte comparison.</summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly BufferedStream _input;

    public RawClient(int port, string host = "127.0.0.1")
    {
        _tcp = new TcpClient();
        _tcp.Connect(host, port);
        _tcp.NoDelay = true;
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = 10_000;
        _input = new BufferedStream(_stream, 64 * 1024);
    }

    public static byte[] Encode(IReadOnlyList<byte[]> args)
    {
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes($"*{args.Count}\r\n"));
        foreach (var a in args)
        {
            ms.Write(Encoding.ASCII.GetBytes($"${a.Length}\r\n"));
            ms.Write(a);
            ms.Write("\r\n"u8);
        }
        return ms.ToArray();
    }

    /// <summary>Sends one command and returns its reply's bytes.</summary>
    public byte[] Call(params string[] args) => Call(args.Select(Encoding.UTF8.GetBytes).ToArray());

    public byte[] Call(IReadOnlyList<byte[]> args)
    {
        SendRaw(Encode(args));
        return ReadReply();
    }

    public void SendRaw(byte[] bytes) => _stream.Write(bytes);

    /// <summary>Reads exactly one reply (of any RESP2/RESP3 type) and returns its bytes.</summary>
    public byte[] ReadReply()
    {
        var output = new MemoryStream();
        ReadValue(output);
        return output.ToArray();
    }

    /// <summary>True when the server has closed the connection (a read returns end of stream).</summary>
    public bool IsClosedByServer()
    {
        try
        {
            return _input.ReadByte() < 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private void ReadValue(MemoryStream output)
    {
        string line = ReadLine(output);
        char type = line[0];
        switch (type)
        {
            case '+' or '-' or ':' or ',' or '#' or '_' or '(':
                return;
            case '$' or '=' or '!':
            {
                int length = int.Parse(line.AsSpan(1));
                if (length < 0) return;
                var data = new byte[length + 2];
                _input.ReadExactly(data);
                output.Write(data);
                return;
            }
            case '*' or '~' or '>' or '%' or '|':
            {
                long count = long.Parse(line.AsSpan(1));
                if (type is '%' or '|') count *= 2;
                for (long i = 0; i < count; i++) ReadValue(output);
                return;
            }
            default:
                throw new InvalidDataException($"unexpected reply line '{line}'");
        }
    }

    private string ReadLine(MemoryStream output)
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = _input.ReadByte();
            if (b < 0) throw new EndOfStreamException("connection closed");
            output.WriteByte((byte)b);
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
