using System.Diagnostics;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>The stream commands on our server alone: blocking timeouts and unblocking, and what differs from Redis by design (memory, tier).</summary>
public sealed class StreamCommandTests : TwoClientTest
{
    [Fact]
    public void XRead_Block_TimesOutWithNullArray()
    {
        var clock = Stopwatch.StartNew();
        Assert.Equal("*-1\r\n", Call(Client, "XREAD", "BLOCK", "100", "STREAMS", "s", "$"));
        Assert.InRange(clock.ElapsedMilliseconds, 90, 3000);
        Assert.Equal(0, Server.State.Blocked.Count);
        Assert.Equal("+PONG\r\n", Call(Client, "PING"));
    }

    [Fact]
    public void XRead_Block_KeepsTheDollarIdOfItsFirstRun_WhenWokenByAnotherWrite()
    {
        Call(Other, "XADD", "s", "1-0", "a", "1");
        Send(Client, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        WaitBlocked(1);
        Call(Other, "XSETID", "s", "5-0"); // no entry for the reader
        Call(Other, "DEL", "t");
        Call(Other, "XADD", "s", "6-0", "b", "2");
        Assert.Equal("*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n", Read(Client));
        Assert.Equal(0, Server.State.Blocked.Count);
    }

    [Fact]
    public void XReadGroup_BlockedConsumers_ShareNewEntries_OneEach()
    {
        using var third = new RawClient(Server.Port);
        Call(Other, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        Send(Client, "XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
        WaitBlocked(1);
        Send(third, "XREADGROUP", "GROUP", "g", "b", "BLOCK", "0", "STREAMS", "s", ">");
        WaitBlocked(2);
        Call(Other, "XADD", "s", "1-0", "x", "1");
        Assert.Contains("1-0", Read(Client));
        WaitBlocked(1);
        Call(Other, "XADD", "s", "2-0", "x", "2");
        Assert.Contains("2-0", Read(third));
        Assert.Equal(0, Server.State.Blocked.Count);
    }

    [Fact]
    public void ClientUnblock_EndsABlockedXRead_AsATimeout()
    {
        string id = Call(Client, "CLIENT", "ID")[1..^2];
        Send(Client, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(Other, "CLIENT", "UNBLOCK", id));
        Assert.Equal("*-1\r\n", Read(Client));
    }

    [Fact]
    public void MemoryUsageAndObjectTier_AnswerForAStream()
    {
        Call(Client, "XADD", "s", "1-0", "field", "value");
        Assert.Matches(@"^:\d+\r\n$", Call(Client, "MEMORY", "USAGE", "s"));
        Assert.Equal("$3\r\nhot\r\n", Call(Client, "OBJECT", "TIER", "s"));
        Assert.Equal("$6\r\nstream\r\n", Call(Client, "OBJECT", "ENCODING", "s"));
    }

    [Fact]
    public void XReadGroup_Blocked_GetsNoGroup_WhenItsGroupIsDestroyed()
    {
        Call(Other, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        Send(Client, "XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(Other, "XGROUP", "DESTROY", "s", "g"));
        Assert.Equal("-NOGROUP the consumer group this client was blocked on no longer exists\r\n", Read(Client));
        Assert.Equal(0, Server.State.Blocked.Count);
    }

    [Fact]
    public void XReadGroup_Blocked_GetsUnblocked_WhenItsStreamIsDeleted_WhileXReadWaitsOn()
    {
        using var third = new RawClient(Server.Port);
        Call(Other, "XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
        Send(Client, "XREADGROUP", "GROUP", "g", "a", "BLOCK", "0", "STREAMS", "s", ">");
        WaitBlocked(1);
        Send(third, "XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        WaitBlocked(2);
        Call(Other, "SET", "s", "now a string");
        Assert.Equal("-UNBLOCKED the stream key no longer exists\r\n", Read(Client));
        WaitBlocked(1);
        Call(Other, "DEL", "s");
        Call(Other, "XADD", "s", "1-0", "a", "1");
        Assert.Contains("1-0", Read(third));
    }
}
