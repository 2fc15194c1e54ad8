using System.Diagnostics;
using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>CLIENT REPLY, PAUSE/UNPAUSE and UNBLOCK on our server: replies really dropped, commands really held back, blocked clients really woken.</summary>
public sealed class ClientControlTests : TwoClientTest
{
    private static long Id(RawClient client) => long.Parse(Call(client, "CLIENT", "ID").Trim(':', '\r', '\n'));

    [Fact]
    public void ReplyOff_DropsEveryReply_UntilReplyOn()
    {
        Send(Client, "CLIENT", "REPLY", "OFF");
        Send(Client, "SET", "k", "v");
        Send(Client, "GET", "k");
        Send(Client, "NOSUCHCOMMAND");
        // The first reply the client hears is REPLY ON's: the commands in between ran, silently.
        Assert.Equal("+OK\r\n", Call(Client, "CLIENT", "REPLY", "ON"));
        Assert.Equal("$1\r\nv\r\n", Call(Client, "GET", "k"));
    }

    [Fact]
    public void ReplySkip_DropsOnlyTheNextReply()
    {
        Send(Client, "CLIENT", "REPLY", "SKIP");
        Send(Client, "SET", "k", "skipped");
        Assert.Equal("$7\r\nskipped\r\n", Call(Client, "GET", "k"));
        Assert.Equal("+PONG\r\n", Call(Client, "PING"));
    }

    [Fact]
    public void ReplySkip_CoversABlockedCommand_UntilItAnswers()
    {
        Send(Client, "CLIENT", "REPLY", "SKIP");
        Send(Client, "BLPOP", "list", "0");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(Other, "RPUSH", "list", "x"));
        WaitBlocked(0);
        // BLPOP's answer was dropped; the next command is answered again.
        Assert.Equal("+PONG\r\n", Call(Client, "PING"));
        Assert.Equal(":0\r\n", Call(Other, "LLEN", "list"));
    }

    [Fact]
    public void PauseWrite_WriteWaitsUntilUnpause_ReadsGoOn()
    {
        Assert.Equal("+OK\r\n", Call(Other, "CLIENT", "PAUSE", "20000", "WRITE"));
        Send(Client, "SET", "k", "late");
        Thread.Sleep(200);
        // The write has not run: another client reads nothing, and reads are not paused.
        Assert.Equal("$-1\r\n", Call(Other, "GET", "k"));
        Assert.Equal("+OK\r\n", Call(Other, "CLIENT", "UNPAUSE"));
        Assert.Equal("+OK\r\n", Read(Client));
        Assert.Equal("$4\r\nlate\r\n", Call(Other, "GET", "k"));
    }

    [Fact]
    public void PauseAll_HoldsReadsUntilTheTimeout()
    {
        Assert.Equal("+OK\r\n", Call(Other, "CLIENT", "PAUSE", "400"));
        var clock = Stopwatch.StartNew();
        Assert.Equal("+PONG\r\n", Call(Client, "PING"));
        Assert.True(clock.ElapsedMilliseconds >= 300, $"PING answered after {clock.ElapsedMilliseconds} ms of a 400 ms pause");
    }

    [Fact]
    public void Unblock_Timeout_AnswersAsTheTimeout()
    {
        long id = Id(Client);
        Send(Client, "BLPOP", "list", "0");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(Other, "CLIENT", "UNBLOCK", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("*-1\r\n", Read(Client));
        Assert.Equal(":0\r\n", Call(Other, "CLIENT", "UNBLOCK", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("+PONG\r\n", Call(Client, "PING"));
    }

    [Fact]
    public void Unblock_Error_AnswersUnblocked()
    {
        long id = Id(Client);
        Send(Client, "BZPOPMIN", "zset", "0");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(Other, "CLIENT", "UNBLOCK", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", Read(Client));
        WaitBlocked(0);
        Assert.Equal(":1\r\n", Call(Other, "LPUSH", "list", "x"));
        Assert.Equal("*2\r\n$4\r\nlist\r\n$1\r\nx\r\n", Call(Client, "BLPOP", "list", "0"));
    }

    [Fact]
    public void ClientList_ShowsTrackingAndNoEvictFlags_AndSubcommandName()
    {
        Call(Client, "CLIENT", "TRACKING", "on", "BCAST");
        Call(Client, "CLIENT", "NO-EVICT", "on");
        string info = Call(Client, "CLIENT", "INFO");
        Assert.Contains(" flags=tBe ", info);
        Assert.Contains(" cmd=client|info ", info);
        Assert.Contains(" redir=0 ", info);
    }
}
