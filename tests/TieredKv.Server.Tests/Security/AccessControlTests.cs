using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace TieredKv.Server.Tests.Security;

/// <summary>Who may connect and run commands: protected mode, requirepass/AUTH and maxclients, each compared with redis-server.</summary>
public sealed class AccessControlTests
{
    /// <summary>An address of this machine that is not loopback: a connection to it comes from a non-loopback address.</summary>
    private static string NonLoopbackAddress()
    {
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        Skip.If(address == null, "no non-loopback IPv4 address on this machine");
        return address!.ToString();
    }

    [SkippableFact]
    public void DefaultBind_IsLoopbackOnly_NonLoopbackConnectionIsRefused()
    {
        string host = NonLoopbackAddress();
        using var server = new Harness.TieredKvServer();
        Assert.Equal(["127.0.0.1"], server.State.Options.Bind);
        var error = Assert.Throws<SocketException>(() => new RawClient(server.Port, host));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    [SkippableFact]
    public void ProtectedMode_NonLoopbackClientWithoutPassword_GetsDeniedAndIsClosed()
    {
        string host = NonLoopbackAddress();
        using var pair = new ServerPair("--bind 0.0.0.0 --protected-mode yes", o => { o.Bind = ["0.0.0.0"]; o.ProtectedMode = true; });
        var clients = pair.Connect(host);
        string reply = ServerPair.Same(clients, "PING");
        Assert.StartsWith("-DENIED Redis is running in protected mode", reply);
        Assert.True(clients.Redis.IsClosedByServer());
        Assert.True(clients.Ours.IsClosedByServer());
    }

    [SkippableFact]
    public void ProtectedMode_NonLoopbackClientWithPasswordSet_IsAcceptedAndAskedToAuthenticate()
    {
        string host = NonLoopbackAddress();
        using var pair = new ServerPair("--bind 0.0.0.0 --protected-mode yes --requirepass s3cret",
            o => { o.Bind = ["0.0.0.0"]; o.ProtectedMode = true; o.RequirePass = "s3cret"; });
        var clients = pair.Connect(host);
        Assert.Equal("-NOAUTH Authentication required.\\r\\n", ServerPair.Same(clients, "PING"));
        Assert.Equal("+OK\\r\\n", ServerPair.Same(clients, "AUTH", "s3cret"));
    }

    [SkippableFact]
    public void ProtectedModeOff_NonLoopbackClientWithoutPassword_IsServed()
    {
        string host = NonLoopbackAddress();
        using var pair = new ServerPair("--bind 0.0.0.0 --protected-mode no", o => { o.Bind = ["0.0.0.0"]; o.ProtectedMode = false; });
        Assert.Equal("+PONG\\r\\n", ServerPair.Same(pair.Connect(host), "PING"));
    }

    [SkippableFact]
    public void ProtectedMode_LoopbackClientWithoutPassword_IsServed()
    {
        using var pair = new ServerPair("--protected-mode yes", o => o.ProtectedMode = true);
        Assert.Equal("+PONG\\r\\n", ServerPair.Same(pair.Connect(), "PING"));
    }

    [SkippableFact]
    public void RequirePass_EveryCommandBeforeAuth_GetsNoAuth_UntilTheRightPassword()
    {
        using var pair = new ServerPair("--requirepass s3cret", o => o.RequirePass = "s3cret");
        var clients = pair.Connect();
        ServerPair.Same(clients, "GET", "k");
        ServerPair.Same(clients, "SET", "k", "v");
        ServerPair.Same(clients, "FLUSHALL");
        ServerPair.Same(clients, "CONFIG", "GET", "requirepass");
        ServerPair.Same(clients, "NOSUCHCOMMAND", "x");
        ServerPair.Same(clients, "GET");
        ServerPair.Same(clients, "AUTH", "wrong");
        ServerPair.Same(clients, "AUTH", "default", "wrong");
        ServerPair.Same(clients, "HELLO", "3");
        Assert.Equal("+OK\\r\\n", ServerPair.Same(clients, "AUTH", "s3cret"));
        Assert.Equal("$-1\\r\\n", ServerPair.Same(clients, "GET", "k"));
    }

    [SkippableTheory]
    [InlineData("*100\r\n")]
    [InlineData("*1\r\n$20000\r\n")]
    public void RequirePass_UnauthenticatedClientSendingLargeRequests_IsCutOff(string request)
    {
        using var pair = new ServerPair("--requirepass s3cret", o => o.RequirePass = "s3cret");
        var clients = pair.Connect();
        Assert.StartsWith("-ERR Protocol error: unauthenticated", ServerPair.SameRaw(clients, request));
        Assert.True(clients.Redis.IsClosedByServer());
        Assert.True(clients.Ours.IsClosedByServer());
    }

    [SkippableFact]
    public void MaxClients_OneConnectionOverTheLimit_GetsErrorAndIsClosed()
    {
        using var pair = new ServerPair("");
        var first = pair.Connect();
        ServerPair.Same(first, "CONFIG", "SET", "maxclients", "2");
        var second = pair.Connect();
        ServerPair.Same(second, "PING");
        var third = pair.Connect();
        string redis = ServerPair.Show(third.Redis.ReadReply()), ours = ServerPair.Show(third.Ours.ReadReply());
        Assert.Equal("-ERR max number of clients reached\\r\\n", redis);
        Assert.Equal(redis, ours);
        Assert.True(third.Redis.IsClosedByServer());
        Assert.True(third.Ours.IsClosedByServer());
    }
}
