using System.Diagnostics;
using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>CLIENT REPLY, PAUSE/UNPAUSE and UNBLOCK on our server: replies really dropped, commands really held back, blocked clients really woken.</summary>
public sealed class ClientControlTests : IDisposable
{
    private readonly TieredKvServer _server = new();
    private readonly RawClient _client;
    private readonly RawClient _other;

    public ClientControlTests()
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

    private static long Id(RawClient client) => long.Parse(Call(client, "CLIENT", "ID").Trim(':', '\r', '\n'));

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
    public void ReplyOff_DropsEveryReply_UntilReplyOn()
    {
        Send(_client, "CLIENT", "REPLY", "OFF");
        Send(_client, "SET", "k", "v");
        Send(_client, "GET", "k");
        Send(_client, "NOSUCHCOMMAND");
        // The first reply the client hears is REPLY ON's: the commands in between ran, silently.
        Assert.Equal("+OK\r\n", Call(_client, "CLIENT", "REPLY", "ON"));
        Assert.Equal("$1\r\nv\r\n", Call(_client, "GET", "k"));
    }

    [Fact]
    public void ReplySkip_DropsOnlyTheNextReply()
    {
        Send(_client, "CLIENT", "REPLY", "SKIP");
        Send(_client, "SET", "k", "skipped");
        Assert.Equal("$7\r\nskipped\r\n", Call(_client, "GET", "k"));
        Assert.Equal("+PONG\r\n", Call(_client, "PING"));
    }

    [Fact]
    public void ReplySkip_CoversABlockedCommand_UntilItAnswers()
    {
        Send(_client, "CLIENT", "REPLY", "SKIP");
        Send(_client, "BLPOP", "list", "0");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(_other, "RPUSH", "list", "x"));
        WaitBlocked(0);
        // BLPOP's answer was dropped; the next command is answered again.
        Assert.Equal("+PONG\r\n", Call(_client, "PING"));
        Assert.Equal(":0\r\n", Call(_other, "LLEN", "list"));
    }

    [Fact]
    public void PauseWrite_WriteWaitsUntilUnpause_ReadsGoOn()
    {
        Assert.Equal("+OK\r\n", Call(_other, "CLIENT", "PAUSE", "20000", "WRITE"));
        Send(_client, "SET", "k", "late");
        Thread.Sleep(200);
        // The write has not run: another client reads nothing, and reads are not paused.
        Assert.Equal("$-1\r\n", Call(_other, "GET", "k"));
        Assert.Equal("+OK\r\n", Call(_other, "CLIENT", "UNPAUSE"));
        Assert.Equal("+OK\r\n", Read(_client));
        Assert.Equal("$4\r\nlate\r\n", Call(_other, "GET", "k"));
    }

    [Fact]
    public void PauseAll_HoldsReadsUntilTheTimeout()
    {
        Assert.Equal("+OK\r\n", Call(_other, "CLIENT", "PAUSE", "400"));
        var clock = Stopwatch.StartNew();
        Assert.Equal("+PONG\r\n", Call(_client, "PING"));
        Assert.True(clock.ElapsedMilliseconds >= 300, $"PING answered after {clock.ElapsedMilliseconds} ms of a 400 ms pause");
    }

    [Fact]
    public void Unblock_Timeout_AnswersAsTheTimeout()
    {
        long id = Id(_client);
        Send(_client, "BLPOP", "list", "0");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(_other, "CLIENT", "UNBLOCK", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("*-1\r\n", Read(_client));
        Assert.Equal(":0\r\n", Call(_other, "CLIENT", "UNBLOCK", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("+PONG\r\n", Call(_client, "PING"));
    }

    [Fact]
    public void Unblock_Error_AnswersUnblocked()
    {
        long id = Id(_client);
        Send(_client, "BZPOPMIN", "zset", "0");
        WaitBlocked(1);
        Assert.Equal(":1\r\n", Call(_other, "CLIENT", "UNBLOCK", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "ERROR"));
        Assert.Equal("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n", Read(_client));
        WaitBlocked(0);
        Assert.Equal(":1\r\n", Call(_other, "LPUSH", "list", "x"));
        Assert.Equal("*2\r\n$4\r\nlist\r\n$1\r\nx\r\n", Call(_client, "BLPOP", "list", "0"));
    }

    [Fact]
    public void ClientList_ShowsTrackingAndNoEvictFlags_AndSubcommandName()
    {
        Call(_client, "CLIENT", "TRACKING", "on", "BCAST");
        Call(_client, "CLIENT", "NO-EVICT", "on");
        string info = Call(_client, "CLIENT", "INFO");
        Assert.Contains(" flags=tBe ", info);
        Assert.Contains(" cmd=client|info ", info);
        Assert.Contains(" redir=0 ", info);
    }
}
