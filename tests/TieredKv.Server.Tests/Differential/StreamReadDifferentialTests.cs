using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>XREAD and XREADGROUP against real Redis: reads, errors, blocking and wake-ups, MULTI and scripts.</summary>
public sealed class StreamReadDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static readonly string[] Setup3 = ["XADD s 1-0 a 1", "XADD s 2-0 b 2", "XADD s 3-0 c 3"];

    [SkippableFact]
    public void XRead_ServesStreamsWithNewerEntries()
    {
        SameEach(Setup3);
        SameEach("XADD t 5-0 x 1", "XREAD STREAMS s 0", "XREAD COUNT 2 STREAMS s t 0 0", "XREAD STREAMS s t 3-0 4", "XREAD STREAMS s t $ $",
            "XREAD STREAMS missing s 0 1-5", "XREAD COUNT -1 STREAMS s 2", "XREAD count 1 STREAMS s s 0 1", "XREAD STREAMS s 18446744073709551615-18446744073709551615");
        Setup("HELLO", "3");
        SameEach("XREAD STREAMS s t 0 0", "XREAD STREAMS s 9", "XREAD BLOCK 10 STREAMS s 9");
    }

    [SkippableFact]
    public void XRead_ArgumentErrors()
    {
        SameEach(Setup3);
        SameEach("SET str x", "XREAD STREAMS str 0", "XREAD STREAMS s str 0 0", "XREAD STREAMS s", "XREAD STREAMS s t 0", "XREAD COUNT x STREAMS s 0",
            "XREAD BLOCK x STREAMS s 0", "XREAD BLOCK -1 STREAMS s 0", "XREAD BLOCK 1.5 STREAMS s 0", "XREAD GROUP g c STREAMS s 0", "XREAD NOACK STREAMS s 0",
            "XREAD FOO STREAMS s 0", "XREAD COUNT 1 s 0", "XREAD STREAMS s >", "XREAD STREAMS s -", "XREAD STREAMS s x", "XREAD COUNT 1 BLOCK",
            "XREAD STREAMS", "XREADGROUP STREAMS s 0 x y z", "XREADGROUP COUNT 1 STREAMS s 0", "XREADGROUP GROUP g c STREAMS s >");
    }

    [SkippableFact]
    public void XRead_Block_TimesOutWithNullArray_AndInsideMultiAnswersAtOnce()
    {
        SameEach(Setup3);
        SameEach("XREAD BLOCK 50 STREAMS s $", "XREAD BLOCK 50 STREAMS missing 0", "MULTI", "XREAD BLOCK 0 STREAMS s $", "XREAD BLOCK 0 STREAMS s 2", "EXEC",
            "XGROUP CREATE s g $", "MULTI", "XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "EXEC");
        Same("EVAL", "return redis.call('xread','BLOCK','0','STREAMS','s','$')", "0");
        Same("EVAL", "return redis.call('xread','STREAMS','s','0')", "0");
        Same("EVAL", "return redis.pcall('XREADGROUP','GROUP','g','c','BLOCK','10','STREAMS','s','>')", "0");
    }

    private void WaitBlocked(int count)
    {
        using var side = NewConnections();
        foreach (var client in new[] { side.Redis, side.Ours })
        {
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (!Encoding.UTF8.GetString(client.Call("INFO", "clients")).Contains($"blocked_clients:{count}\r\n", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, "the client did not block");
                Thread.Sleep(5);
            }
        }
    }

    private void SendBoth(params string[] command)
    {
        var (redis, ours) = Clients;
        var bytes = RawClient.Encode(command.Select(Encoding.UTF8.GetBytes).ToList());
        redis.SendRaw(bytes);
        ours.SendRaw(bytes);
    }

    [SkippableFact]
    public void XRead_Block_IsWokenByXAdd_WithTheEntriesAfterDollar()
    {
        SameEach(Setup3);
        SendBoth("XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$");
        WaitBlocked(1);
        using var writer = NewConnections();
        SameOn(writer, "XADD", "s", "4-0", "d", "4");
        SameMessage();
        SendBoth("XREAD", "COUNT", "1", "BLOCK", "5000", "STREAMS", "s", "$");
        WaitBlocked(1);
        SameOn(writer, "XADD", "s", "5-0", "e", "5");
        SameMessage();
        Same("PING");
    }

    [SkippableFact]
    public void XRead_Block_WaitersAreServedInArrivalOrder()
    {
        SameEach(Setup3);
        SendBoth("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
        WaitBlocked(1);
        using var second = NewConnections();
        var bytes = RawClient.Encode(new[] { "XREAD", "BLOCK", "0", "STREAMS", "s", "3-0" }.Select(Encoding.UTF8.GetBytes).ToList());
        second.Redis.SendRaw(bytes);
        second.Ours.SendRaw(bytes);
        WaitBlocked(2);
        using var writer = NewConnections();
        SameOn(writer, "XADD", "s", "4-0", "d", "4");
        SameMessage();
        string e = Show(second.Redis.ReadReply()), a = Show(second.Ours.ReadReply());
        Assert.Equal(e, a);
    }

    [SkippableFact]
    public void XReadGroup_Block_IsWokenByXAdd_AndCreatesThePendingEntry()
    {
        SameEach(Setup3);
        SameEach("XGROUP CREATE s g $");
        SendBoth("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">");
        WaitBlocked(1);
        using var writer = NewConnections();
        SameOn(writer, "XADD", "s", "4-0", "d", "4");
        SameMessage();
        SameEach("XPENDING s g", "XINFO GROUPS s");
    }

    [SkippableFact]
    public void CommandIntrospection_FindsTheKeysOfStreamCommands()
    {
        SameEach("COMMAND GETKEYS XREAD COUNT 2 STREAMS a b 0 0", "COMMAND GETKEYS XREADGROUP GROUP g c STREAMS a b > >", "COMMAND GETKEYS XADD s * f v",
            "COMMAND GETKEYS XGROUP CREATE s g $", "COMMAND GETKEYS XINFO STREAM s", "COMMAND INFO XADD XREAD XREADGROUP XAUTOCLAIM XPENDING",
            "COMMAND GETKEYS XREAD STREAMS a");
    }
}
