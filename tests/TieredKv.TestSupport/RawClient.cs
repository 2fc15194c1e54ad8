using System.Text;
using TieredKv.Client;

namespace TieredKv.TestSupport;

/// <summary>The tests' RESP client for byte-for-byte comparisons: each reply (RESP2 or RESP3) comes back as its exact bytes.</summary>
public sealed class RawClient : IDisposable
{
    private readonly RespConnection _connection;

    /// <summary>Connects; a refused connection throws <see cref="System.Net.Sockets.SocketException"/>.</summary>
    public RawClient(int port, string host = "127.0.0.1") =>
        _connection = RespConnection.Connect(host, port, new RespConnectionOptions { IoTimeout = TimeSpan.FromSeconds(10) });

    /// <summary>A command as the bytes of a RESP array of bulk strings, for <see cref="SendRaw"/>.</summary>
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

    /// <summary>Sends one command (arguments as UTF-8) and returns its reply's bytes.</summary>
    public byte[] Call(params string[] args)
    {
        _connection.Send(args);
        return _connection.ReadRaw();
    }

    public byte[] Call(IReadOnlyList<byte[]> args)
    {
        _connection.Send([.. args]);
        return _connection.ReadRaw();
    }

    /// <summary>Sends bytes as they are, at once.</summary>
    public void SendRaw(byte[] bytes)
    {
        _connection.SendRaw(bytes);
        _connection.Flush();
    }

    /// <summary>Reads exactly one reply (of any RESP2/RESP3 type) and returns its bytes.</summary>
    public byte[] ReadReply() => _connection.ReadRaw();

    /// <summary>True when the server has closed the connection (a read returns end of stream).</summary>
    public bool IsClosedByServer() => _connection.WaitForClose();

    public void Dispose() => _connection.Dispose();
}
