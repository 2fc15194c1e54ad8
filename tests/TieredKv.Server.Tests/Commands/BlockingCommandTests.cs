using System.Diagnostics;
using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>The blocking list and sorted-set commands on our server: timeouts, wake-ups, FIFO order, transactions.</summary>
public sealed class BlockingCommandTests : TwoClientTest
{
    [Fact]
    public void Blpop_TimesOutWithNullArray()
    {
        var clock = Stopwatch.StartNew();
        Assert.Equal("*-1\r\n", Call(Client, "BLPOP", "missing", "0.1"));
        Assert.InRange(clock.ElapsedMilliseconds, 90, 3000);
        Assert.Equal(0, Server.State.Blocked.Count);
        Assert.Equal("+PONG\r\n", Call(Client, "PING"));
    }

    [Fact]
    public void Blpop_Resp3Timeout_IsNull()
    {
        Call(Client, "HELLO", "3");
        Assert.Equal("_\r\n", Call(Client, "BZPOPMIN", "missing", "0.1"));
    }

    [Fact]
    public void Blpop_WokenByPushFromAnotherClient()
    {
        Send(Client, "BLPOP", "a", "l", "0");
        WaitBlocked(1);
        Assert.Equal(":2\r\n", Call(Other, "RPUSH", "l", "x", "y"));
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nx\r\n", Read(Client));
        Assert.Equal("*1\r\n$1\r\ny\r\n", Call(Client, "LRANGE", "l", "0", "-1"));
        Assert.Equal(0, Server.State.Blocked.Count);
    }

    [Fact]
    public void PipelinedCommandsAfterABlockedOneWaitForIt()
    {
        Send(Client, "BRPOP", "l", "0");
        Send(Client, "PING");
        WaitBlocked(1);
        Call(Other, "LPUSH", "l", "v");
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nv\r\n", Read(Client));
        Assert.Equal("+PONG\r\n", Read(Client));
    }

    [Fact]
    public void TwoBlockedClients_AreServedInOrder()
    {
        using var third = new RawClient(Server.Port);
        Send(Client, "BLPOP", "l", "5");
        WaitBlocked(1);
        Send(third, "BLPOP", "l", "5");
        WaitBlocked(2);
        Call(Other, "RPUSH", "l", "first");
        Assert.Equal("*2\r\n$1\r\nl\r\n$5\r\nfirst\r\n", Read(Client));
        WaitBlocked(1);
        Call(Other, "RPUSH", "l", "second");
        Assert.Equal("*2\r\n$1\r\nl\r\n$6\r\nsecond\r\n", Read(third));
    }

    [Fact]
    public void OnePushOfTwo_ServesBothBlockedClients()
    {
        using var third = new RawClient(Server.Port);
        Send(Client, "BLPOP", "l", "5");
        WaitBlocked(1);
        Send(third, "BLPOP", "l", "5");
        WaitBlocked(2);
        Call(Other, "RPUSH", "l", "a", "b");
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\na\r\n", Read(Client));
        Assert.Equal("*2\r\n$1\r\nl\r\n$1\r\nb\r\n", Read(third));
    }

    [Fact]
    public void Blmove_MovesWhenWoken()
    {
        Send(Client, "BLMOVE", "src", "dst", "LEFT", "RIGHT", "0");
        WaitBlocked(1);
        Call(Other, "RPUSH", "src", "v");
        Assert.Equal("$1\r\nv\r\n", Read(Client));
        Assert.Equal(":0\r\n", Call(Other, "EXISTS", "src"));
        Assert.Equal("*1\r\n$1\r\nv\r\n", Call(Other, "LRANGE", "dst", "0", "-1"));
    }

    [Fact]
    public void Brpoplpush_WakesAClientBlockedOnTheDestination()
    {
        Send(Client, "BLPOP", "dst", "0");
        WaitBlocked(1);
        Call(Other, "RPUSH", "src", "v");
        Assert.Equal("$1\r\nv\r\n", Call(Other, "BRPOPLPUSH", "src", "dst", "0"));
        Assert.Equal("*2\r\n$3\r\ndst\r\n$1\r\nv\r\n", Read(Client));
    }

    [Fact]
    public void InsideMulti_AnswersAtOnce()
    {
        Call(Client, "MULTI");
        Assert.Equal("+QUEUED\r\n", Call(Client, "BLPOP", "l", "0"));
        Call(Client, "BLMOVE", "l", "d", "LEFT", "LEFT", "0");
        Call(Client, "BZPOPMAX", "z", "0");
        Assert.Equal("*3\r\n*-1\r\n$-1\r\n*-1\r\n", Call(Client, "EXEC"));
        Assert.Equal(0, Server.State.Blocked.Count);
    }

    [Fact]
    public void Bzpopmin_WokenByZadd_RepliesKeyMemberScore()
    {
        Send(Client, "BZPOPMIN", "z", "0");
        WaitBlocked(1);
        Call(Other, "ZADD", "z", "2.5", "m", "3", "n");
        Assert.Equal("*3\r\n$1\r\nz\r\n$1\r\nm\r\n$3\r\n2.5\r\n", Read(Client));
    }

    [Fact]
    public void Blmpop_WokenByPush()
    {
        Send(Client, "BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "5");
        WaitBlocked(1);
        Call(Other, "RPUSH", "b", "1", "2");
        Assert.Equal("*2\r\n$1\r\nb\r\n*2\r\n$1\r\n2\r\n$1\r\n1\r\n", Read(Client));
    }

    [Fact]
    public void KilledClient_LeavesTheRegistry()
    {
        string id = Call(Client, "CLIENT", "ID")[1..^2];
        Send(Client, "BLPOP", "l", "0");
        WaitBlocked(1);
        Call(Other, "CLIENT", "KILL", "ID", id);
        WaitBlocked(0);
        Call(Other, "RPUSH", "l", "v");
        Assert.Equal(":1\r\n", Call(Other, "LLEN", "l"));
    }

    [Fact]
    public void Blpop_OfAClientThatClosedItsSocket_LeavesThePushedElementInTheList()
    {
        using (var leaving = new TieredKv.TestSupport.RawClient(Server.Port))
        {
            leaving.SendRaw(Encoding.ASCII.GetBytes("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n"));
            WaitBlocked(1);
        }
        WaitBlocked(0); // unblocked as soon as its socket closed
        Assert.Equal(":1\r\n", Call(Other, "LPUSH", "q", "x"));
        Assert.Equal(":1\r\n", Call(Other, "LLEN", "q"));
    }
}
