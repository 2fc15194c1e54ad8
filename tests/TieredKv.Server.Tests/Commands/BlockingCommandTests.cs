using System.Diagnostics;
using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>The blocking list and sorted-set commands on our server: timeouts, wake-ups, FIFO order, transactions.</summary>
public sealed class BlockingCommandTests : IDisposable
{
    private readonly TieredKvServer _server = new();
    private readonly RawClient _client;
    private readonly RawClient _other;

    public BlockingCommandTests()
    {
        _client = new RawClient(_server.Port);
        _other = new RawClient(_server.Port);
    }

    public void Dispose()
    {
        _client.Dispose();
        _other.Dispose();
        _server.Dispose();
    }

    private static string Call(RawClient client, params string[] args) => Encoding.UTF8.GetString(client.Call(args));

    private static void Send(RawClient client, params string[] args) =>
        client.SendRaw(RawClient.Encode(args.Select(Encoding.UTF8.GetBytes).ToArray()));

    private static string Read(RawClient client) => Encoding.UTF8.GetString(client.ReadReply());

    /// <summary>Waits until the server has <paramref name="count"/> clients blocked.</summary>
    private void WaitBlocked(int count)
    {
        var clock = Stopwatch.StartNew();
        while (_server.State.Blocked.Count != count)
        {
            Assert.True(clock.ElapsedMilliseconds < 5000, $"expected {count} blocked clients, have {_server.State.Blocked.Count}");
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void Blpop_TimesOutWithNullArray()
    {
        var clock = Stopwatch.StartNew();
        Assert.Equal("*-1\r\n", Call(_client, "BLPOP", "missing", "0.1"));
        Assert.InRange(clock.ElapsedMilliseconds, 90, 3000);
        Assert.Equal(0, _server.State.Blocked.Count);
        Assert.Equal("+PONG\r\n", Call(_client, "PING"));
    }

    [Fact]
    public void Blpop_Resp3Timeout_IsNull()
    {
        Call(_client, "HELLO", "3");
        Assert.Equal("_\r\n", Call(_client, "BZPOPMIN", "missing", "0.1"));
    }

    [Fact]
    public void Blpop_WokenByPushFromAnotherClient()
    {
        Send(_client, "BLPOP", "a", "l", "0");
        WaitBlocked(1);
        Assert.Equal(":2\r\n", Call(_other, "RPUSH", "l", "x", "y"));
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nx\r\n", Read(_client));
        Assert.Equal("*1\r\n$1\r\ny\r\n", Call(_client, "LRANGE", "l", "0", "-1"));
        Assert.Equal(0, _server.State.Blocked.Count);
    }

    [Fact]
    public void PipelinedCommandsAfterABlockedOneWaitForIt()
    {
        Send(_client, "BRPOP", "l", "0");
        Send(_client, "PING");
        WaitBlocked(1);
        Call(_other, "LPUSH", "l", "v");
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nv\r\n", Read(_client));
        Assert.Equal("+PONG\r\n", Read(_client));
    }

    [Fact]
    public void TwoBlockedClients_AreServedInOrder()
    {
        using var third = new RawClient(_server.Port);
        Send(_client, "BLPOP", "l", "5");
        WaitBlocked(1);
        Send(third, "BLPOP", "l", "5");
        WaitBlocked(2);
        Call(_other, "RPUSH", "l", "first");
        Assert.Equal("*2\r\n$1\r\nl\r\n$5\r\nfirst\r\n", Read(_client));
        WaitBlocked(1);
        Call(_other, "RPUSH", "l", "second");
        Assert.Equal("*2\r\n$1\r\nl\r\n$6\r\nsecond\r\n", Read(third));
    }

    [Fact]
    public void OnePushOfTwo_ServesBothBlockedClients()
    {
        using var third = new RawClient(_server.Port);
        Send(_client, "BLPOP", "l", "5");
        WaitBlocked(1);
        Send(third, "BLPOP", "l", "5");
        WaitBlocked(2);
        Call(_other, "RPUSH", "l", "a", "b");
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\na\r\n", Read(_client));
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nb\r\n", Read(third));
    }

    [Fact]
    public void Blmove_MovesWhenWoken()
    {
        Send(_client, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
        WaitBlocked(1);
        Call(_other, "RPUSH", "src", "v");
        Assert.Equal("$1\r\nv\r\n", Read(_client));
        Assert.Equal(":0\r\n", Call(_other, "EXISTS", "src"));
        Assert.Equal("*1\r\n$1\r\nv\r\n", Call(_other, "LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void Brpoplpush_WakesAClientBlockedOnTheDestination()
    {
        Send(_client, "BLPOP", "dst", "0");
        WaitBlocked(1);
        Call(_other, "RPUSH", "src", "v");
        Assert.Equal("$1\r\nv\r\n", Call(_other, "BRPOPLPUSH", "src", "dst", "0"));
        Assert.Equal("*2\r\n$3\r\ndst\r\n$1\r\nv\r\n", Read(_client));
    }

    [Fact]
    public void InsideMulti_AnswersAtOnce()
    {
        Call(_client, "MULTI");
        Assert.Equal("+QUEUED\r\n", Call(_client, "BLPOP", "l", "0"));
        Call(_client, "BLMOVE", "l", "d", "LEFT", "LEFT", "0");
        Call(_client, "BZPOPMAX", "z", "0");
        Assert.Equal("*3\r\n*-1\r\n$-1\r\n*-1\r\n", Call(_client, "EXEC"));
        Assert.Equal(0, _server.State.Blocked.Count);
    }

    [Fact]
    public void Bzpopmin_WokenByZadd_RepliesKeyMemberScore()
    {
        Send(_client, "BZPOPMIN", "z", "0");
        WaitBlocked(1);
        Call(_other, "ZADD", "z", "2.5", "m", "3", "n");
        Assert.Equal("*3\r\n$1\r\nz\r\n$1\r\nm\r\n$3\r\n2.5\r\n", Read(_client));
    }

    [Fact]
    public void Blmpop_WokenByPush()
    {
        Send(_client, "BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "5");
        WaitBlocked(1);
        Call(_other, "RPUSH", "b", "1", "2");
        Assert.Equal("*2\r\n$1\r\nb\r\n*2\r\n$1\r\n2\r\n$1\r\n1\r\n", Read(_client));
    }

    [Fact]
    public void KilledClient_LeavesTheRegistry()
    {
        string id = Call(_client, "CLIENT", "ID")[1..^2];
        Send(_client, "BLPOP", "l", "0");
        WaitBlocked(1);
        Call(_other, "CLIENT", "KILL", "ID", id);
        WaitBlocked(0);
        Call(_other, "RPUSH", "l", "v");
        Assert.Equal(":1\r\n", Call(_other, "LLEN", "l"));
    }
}
