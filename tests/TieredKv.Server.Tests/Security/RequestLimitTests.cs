using System.Text;

namespace TieredKv.Server.Tests.Security;

/// <summary>Limits on what one client may send: proto-max-bulk-len and client-query-buffer-limit, compared with redis-server.</summary>
public sealed class RequestLimitTests
{
    [SkippableFact]
    public void ProtoMaxBulkLen_BulkOverTheLimit_IsProtocolErrorAndCloses()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "SET", "proto-max-bulk-len", "1mb");
        Assert.Equal("-ERR Protocol error: invalid bulk length\\r\\n", ServerPair.SameRaw(clients, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n"));
        Assert.True(clients.Redis.IsClosedByServer());
        Assert.True(clients.Ours.IsClosedByServer());
    }

    [SkippableFact]
    public void ProtoMaxBulkLen_BulkAtTheLimit_IsAccepted()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "SET", "proto-max-bulk-len", "1mb");
        Assert.Equal("+OK\\r\\n", ServerPair.Same(clients, "SET", "k", new string('v', 1 << 20)));
    }

    [SkippableFact]
    public void ClientQueryBufferLimit_RequestGrowingPastIt_ClosesTheConnectionWithoutReply()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "SET", "client-query-buffer-limit", "1mb");
        var chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));
        foreach (var client in new[] { clients.Redis, clients.Ours })
        {
            try
            {
                client.SendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000000\r\n"u8.ToArray());
                for (int i = 0; i < 64; i++) client.SendRaw(chunk); // 4 MiB, well past the limit
            }
            catch (IOException)
            {
                // The server closed the connection while we were still sending: what is expected.
            }
            Assert.True(client.IsClosedByServer());
        }
        Assert.Equal("+PONG\\r\\n", ServerPair.Same(pair.Connect(), "PING"));
    }
}
