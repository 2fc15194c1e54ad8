using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>Client-side caching on our server: which writes invalidate, and how the invalidation reaches the client.</summary>
public sealed class ClientTrackingTests : IDisposable
{
    private readonly TieredKvServer _server = new(o => o.TrackingTableMaxKeys = 0);
    private readonly RawClient _tracker;
    private readonly RawClient _writer;

    public ClientTrackingTests()
    {
        _tracker = new RawClient(_server.Port);
        _writer = new RawClient(_server.Port);
    }

    public void Dispose()
    {
        _tracker.Dispose();
        _writer.Dispose();
        _server.Dispose();
    }

    private static string Call(RawClient client, params string[] args) => Encoding.UTF8.GetString(client.Call(args));

    private static string Read(RawClient client) => Encoding.UTF8.GetString(client.ReadReply());

    private static string Invalidate(params string[] keys) =>
        ">2\r\n$10\r\ninvalidate\r\n*" + keys.Length + "\r\n" + string.Concat(keys.Select(k => $"${k.Length}\r\n{k}\r\n"));

    private void Resp3Tracking(params string[] options)
    {
        Call(_tracker, "HELLO", "3");
        Assert.Equal("+OK\r\n", Call(_tracker, ["CLIENT", "TRACKING", "on", .. options]));
    }

    [Fact]
    public void Resp3_KeyRead_ThenWrittenByAnother_IsPushedOnce()
    {
        Resp3Tracking();
        Call(_tracker, "GET", "k");
        Call(_writer, "SET", "k", "1");
        Assert.Equal(Invalidate("k"), Read(_tracker));
        // Forgotten once invalidated: a second write sends nothing until the key is read again.
        Call(_writer, "SET", "k", "2");
        Assert.Equal("$1\r\n2\r\n", Call(_tracker, "GET", "k"));
        Call(_writer, "DEL", "k");
        Assert.Equal(Invalidate("k"), Read(_tracker));
    }

    [Fact]
    public void Resp3_OwnWrite_IsPushedAfterTheReply()
    {
        Resp3Tracking();
        Call(_tracker, "GET", "mine");
        Assert.Equal("+OK\r\n", Call(_tracker, "SET", "mine", "1"));
        Assert.Equal(Invalidate("mine"), Read(_tracker));
    }

    [Fact]
    public void Resp2_Redirect_SendsMessagesOnTheInvalidateChannel()
    {
        using var listener = new RawClient(_server.Port);
        string id = Call(listener, "CLIENT", "ID").Trim(':', '\r', '\n');
        Call(listener, "SUBSCRIBE", "__redis__:invalidate");
        Assert.Equal("+OK\r\n", Call(_tracker, "CLIENT", "TRACKING", "on", "REDIRECT", id));
        Call(_tracker, "MGET", "a", "b");
        Call(_writer, "SET", "b", "1");
        Assert.Equal("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nb\r\n", Read(listener));
        Assert.Equal($":{id}\r\n", Call(_tracker, "CLIENT", "GETREDIR"));
    }

    [Fact]
    public void RedirectClientGone_Resp3TrackerIsTold_AndFlaggedBroken()
    {
        string id;
        using (var redirect = new RawClient(_server.Port))
        {
            id = Call(redirect, "CLIENT", "ID").Trim(':', '\r', '\n');
            Resp3Tracking("REDIRECT", id);
            Call(_tracker, "GET", "k");
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_server.State.Clients.ContainsKey(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)))
        {
            Assert.True(clock.ElapsedMilliseconds < 5000, "the redirect client never went away");
            Thread.Sleep(5);
        }
        Call(_writer, "SET", "k", "1");
        Assert.Equal($">2\r\n$21\r\ntracking-redir-broken\r\n:{id}\r\n", Read(_tracker));
        Assert.Contains(" flags=tR ", Call(_tracker, "CLIENT", "INFO"));
        Assert.Contains("broken_redirect", Call(_tracker, "CLIENT", "TRACKINGINFO"));
    }

    [Fact]
    public void Broadcast_SendsOneMessagePerCommand_ForKeysUnderItsPrefixes()
    {
        Resp3Tracking("BCAST", "PREFIX", "user:", "PREFIX", "cart:");
        Call(_writer, "MSET", "user:1", "a", "other", "b", "user:2", "c");
        Assert.Equal(Invalidate("user:1", "user:2"), Read(_tracker));
        Call(_writer, "RPUSH", "cart:9", "x");
        Assert.Equal(Invalidate("cart:9"), Read(_tracker));
    }

    [Fact]
    public void OptIn_RemembersOnlyReadsAfterCachingYes()
    {
        Resp3Tracking("OPTIN");
        Call(_tracker, "GET", "ignored");
        Assert.Equal("+OK\r\n", Call(_tracker, "CLIENT", "CACHING", "yes"));
        Call(_tracker, "GET", "cached");
        Call(_tracker, "GET", "after");
        Call(_writer, "MSET", "ignored", "1", "after", "1", "cached", "1");
        Assert.Equal(Invalidate("cached"), Read(_tracker));
        Assert.Equal("+PONG\r\n", Call(_tracker, "PING")); // nothing else was queued before this reply
    }

    [Fact]
    public void NoLoop_OwnWritesAreNotReported_OthersAre()
    {
        Resp3Tracking("NOLOOP");
        Call(_tracker, "GET", "k");
        Assert.Equal("+OK\r\n", Call(_tracker, "SET", "k", "mine"));
        Call(_tracker, "GET", "k");
        Call(_writer, "SET", "k", "theirs");
        Assert.Equal(Invalidate("k"), Read(_tracker));
    }

    [Fact]
    public void FlushAll_SendsNullInvalidation()
    {
        Resp3Tracking();
        Call(_tracker, "GET", "k");
        Call(_writer, "FLUSHALL");
        Assert.Equal(">2\r\n$10\r\ninvalidate\r\n_\r\n", Read(_tracker));
    }

    [Fact]
    public void Expiry_Invalidates()
    {
        Resp3Tracking();
        Call(_writer, "SET", "short", "1", "PX", "50");
        Call(_tracker, "GET", "short");
        Thread.Sleep(120);
        Assert.Equal("$-1\r\n", Call(_writer, "GET", "short"));
        Assert.Equal(Invalidate("short"), Read(_tracker));
    }

    [Fact]
    public void TableLimit_InvalidatesTheSurplusAtOnce()
    {
        _server.State.Options.TrackingTableMaxKeys = 2;
        Resp3Tracking();
        Call(_tracker, "GET", "k1");
        Call(_tracker, "GET", "k2");
        Call(_tracker, "GET", "k3");
        Assert.Equal(Invalidate("k1"), Read(_tracker));
        Assert.Equal(2, _server.State.Tracking.KeyCount);
    }

    [Fact]
    public void TrackingOff_StopsInvalidations()
    {
        Resp3Tracking("BCAST");
        Assert.Equal("+OK\r\n", Call(_tracker, "CLIENT", "TRACKING", "off"));
        Call(_writer, "SET", "k", "1");
        Assert.Equal("+PONG\r\n", Call(_tracker, "PING"));
        Assert.False(_server.State.Tracking.Active);
    }
}
