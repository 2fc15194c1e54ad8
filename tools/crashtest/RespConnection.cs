using System.Net.Sockets;
using System.Text;

namespace TieredKv.CrashTest;

/// <summary>A blocking RESP2 connection: sends commands (one or a pipeline) and reads parsed replies.</summary>
internal sealed class RespConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly BufferedStream _input;

    public RespConnection(int port, TimeSpan timeout)
    {
        _tcp = new TcpClient { NoDelay = true };
        _tcp.Connect("127.0.0.1", port);
        _stream = _tcp.GetStream();
        _stream.ReadTimeout = (int)timeout.TotalMilliseconds;
        _stream.WriteTimeout = (int)timeout.TotalMilliseconds;
        _input = new BufferedStream(_stream, 64 * 1024);
    }

    public RespReply Call(params string[] args)
    {
        Send([args]);
        return Read();
    }

    /// <summary>Writes every command with one socket write (a pipeline); replies are read with <see cref="Read"/>.</summary>
    public void Send(IReadOnlyList<IReadOnlyList<string>> commands)
    {
        var buffer = new MemoryStream();
        foreach (var c in commands) buffer.Write(RespReply.Encode(c));
        _stream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public RespReply Read()
    {
        string line = ReadLine();
        switch (line[0])
        {
            case '+' or '-':
                return new RespReply(line[0], line[1..], 0, null);
            case ':':
                return new RespReply(':', null, long.Parse(line.AsSpan(1)), null);
            case '$':
            {
                int length = int.Parse(line.AsSpan(1));
                if (length < 0) return new RespReply('$', null, 0, null);
                var data = new byte[length + 2];
                _input.ReadExactly(data);
                return new RespReply('$', Encoding.UTF8.GetString(data, 0, length), 0, null);
            }
            case '*':
            {
                int count = int.Parse(line.AsSpan(1));
                if (count < 0) return new RespReply('*', null, 0, null);
                var items = new RespReply[count];
                for (int i = 0; i < count; i++) items[i] = Read();
                return new RespReply('*', null, 0, items);
            }
            default:
                throw new InvalidDataException($"unexpected reply line '{line}'");
        }
    }

    private string ReadLine()
    {
        var sb = new StringBuilder();
        while (true)
        {
            int b = _input.ReadByte();
            if (b < 0) throw new EndOfStreamException("connection closed by the server");
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
