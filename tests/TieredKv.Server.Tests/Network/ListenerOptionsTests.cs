using System.Net.Sockets;
using System.Text;
using TieredKv.Server.Tests.Harness;
using TieredKv.TestSupport;

namespace TieredKv.Server.Tests.Network;

/// <summary>redis.conf's listener directives: unixsocket (with unixsocketperm) and timeout.</summary>
public sealed class ListenerOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new("tkv-listener-");

    public void Dispose() => _dir.Dispose();

    private static string Call(Socket socket, string inline)
    {
        socket.Send(Encoding.ASCII.GetBytes(inline + "\r\n"));
        var buffer = new byte[4096];
        int n = socket.Receive(buffer);
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    [SkippableFact]
    public void UnixSocket_ServesRespWithItsModeAndAddress()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        string path = Path.Combine(_dir.Path, "tkv.sock");
        using (var server = new TieredKvServer(o => { o.Set("unixsocket", path); o.Set("unixsocketperm", "700"); }))
        {
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            Assert.Equal("+PONG\r\n", Call(socket, "PING"));
            string list = Call(socket, "CLIENT LIST");
            Assert.Contains($"addr={path}:0 laddr={path}:0 ", list);
            Assert.Contains(" flags=U ", list);
        }
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Timeout_ClosesAnIdleClient_ButNotASubscriber()
    {
        using var server = new TieredKvServer(o => o.Set("timeout", "1"));
        using var idle = new RawClient(server.Port);
        using var subscriber = new RawClient(server.Port);
        Assert.Equal("+PONG\r\n", Encoding.ASCII.GetString(idle.Call("PING")));
        subscriber.Call("SUBSCRIBE", "news");
        Assert.True(idle.IsClosedByServer());
        Assert.StartsWith("*3\r\n$7\r\nmessage", Encoding.ASCII.GetString(PublishAndRead(server, subscriber)));
    }

    private static byte[] PublishAndRead(TieredKvServer server, RawClient subscriber)
    {
        using var publisher = new RawClient(server.Port);
        publisher.Call("PUBLISH", "news", "still here");
        return subscriber.ReadReply();
    }
}
