using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Security;

/// <summary>client-output-buffer-limit: its configuration as Redis's, and clients whose pending output breaks it are disconnected.</summary>
public sealed class OutputBufferLimitTests
{
    [SkippableFact]
    public void ConfigGetAndSet_MatchRedis_IncludingErrors()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        Assert.Equal("*2\\r\\n$26\\r\\nclient-output-buffer-limit\\r\\n$67\\r\\nnormal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60\\r\\n",
            ServerPair.Same(clients, "CONFIG", "GET", "client-output-buffer-limit"));
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 512kb 10");
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "replica 1 2 3 pubsub 4mb 1mb 0");
        ServerPair.Same(clients, "CONFIG", "GET", "client-output-buffer-limit");
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 512kb");
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "foo 1 1 1");
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 1 -1");
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "normal 5 5 5 pubsub x 1 1");
        ServerPair.Same(clients, "CONFIG", "GET", "client-output-buffer-limit");
    }

    [SkippableFact]
    public void NormalClient_PipelineWhoseRepliesExceedTheHardLimit_IsDisconnectedWithoutThem()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
        ServerPair.Same(clients, "SET", "big", new string('b', 200_000));
        var pipeline = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 20)));
        clients.Redis.SendRaw(pipeline);
        clients.Ours.SendRaw(pipeline);
        Assert.True(clients.Redis.IsClosedByServer());
        Assert.True(clients.Ours.IsClosedByServer());
        Assert.Equal("+PONG\\r\\n", ServerPair.Same(pair.Connect(), "PING"));
    }

    [SkippableFact]
    public void NormalClient_PipelineUnderTheHardLimit_GetsEveryReply()
    {
        using var pair = new ServerPair("");
        var clients = pair.Connect();
        ServerPair.Same(clients, "CONFIG", "SET", "client-output-buffer-limit", "normal 1mb 0 0");
        ServerPair.Same(clients, "SET", "big", new string('b', 200_000));
        var pipeline = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 4)));
        clients.Redis.SendRaw(pipeline);
        clients.Ours.SendRaw(pipeline);
        for (int i = 0; i < 4; i++) Assert.Equal(clients.Redis.ReadReply(), clients.Ours.ReadReply());
    }

    /// <summary>
    /// Our connections read no more commands until a batch's replies are sent, so a normal client's pending output
    /// is one batch's replies: above the soft limit, they must be taken within its seconds.
    /// </summary>
    [Fact]
    public void NormalClient_NotReadingRepliesAboveTheSoftLimit_IsDisconnectedAfterItsSeconds()
    {
        using var server = new TieredKvServer(o => o.NormalOutputLimit = new(0, 512 * 1024, 1));
        using var client = new RawClient(server.Port);
        client.Call("SET", "big", new string('b', 1 << 20));
        client.SendRaw(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 32))));
        Thread.Sleep(3000); // not reading: far more than the socket buffers hold stays pending
        int replies = 0;
        try
        {
            for (; replies < 32; replies++) client.ReadReply();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException) { }
        Assert.InRange(replies, 0, 31);
    }

    [Fact]
    public void NormalClient_ReadingRepliesAboveTheSoftLimit_GetsThemAll()
    {
        using var server = new TieredKvServer(o => o.NormalOutputLimit = new(0, 512 * 1024, 1));
        using var client = new RawClient(server.Port);
        client.Call("SET", "big", new string('b', 1 << 20));
        client.SendRaw(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 32))));
        for (int i = 0; i < 32; i++) Assert.Equal((1 << 20) + 12, client.ReadReply().Length); // "$1048576\r\n", the value, "\r\n"
    }

    [Fact]
    public void NormalClient_OverTheHardLimit_IsLogged()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var server = new TieredKvServer(o => o.NormalOutputLimit = new(64 * 1024, 0, 0), loggerFactory);
        using var client = new RawClient(server.Port);
        client.Call("SET", "big", new string('b', 40_000));
        client.SendRaw(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n", 4))));
        Assert.True(client.IsClosedByServer());
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning:") && m.Contains("output over client-output-buffer-limit (normal)"));
    }

    [Fact]
    public void Subscriber_AboveTheSoftLimitForItsSeconds_IsDisconnected_NotBefore()
    {
        using var server = new TieredKvServer();
        using var publisher = new RawClient(server.Port);
        publisher.Call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 256kb 1");
        using var slow = new RawClient(server.Port);
        slow.Call("SUBSCRIBE", "firehose");
        var payload = new string('x', 64 * 1024);
        var started = Stopwatch.StartNew();
        long receivers = 1;
        // The hard limit is off: only staying above 256 KiB for over a second disconnects it.
        while (receivers > 0 && started.Elapsed < TimeSpan.FromSeconds(30))
        {
            receivers = long.Parse(Encoding.ASCII.GetString(publisher.Call("PUBLISH", "firehose", payload)).Trim(':', '\r', '\n'));
            Thread.Sleep(5);
        }
        Assert.Equal(0, receivers);
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(1), $"disconnected after {started.Elapsed}, before the soft limit's second");
    }

    [Fact]
    public void Subscriber_OverTheHardLimit_IsDisconnected()
    {
        using var server = new TieredKvServer();
        using var publisher = new RawClient(server.Port);
        publisher.Call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 512kb 0 0");
        using var slow = new RawClient(server.Port);
        slow.Call("SUBSCRIBE", "firehose");
        var payload = new string('x', 64 * 1024);
        long receivers = 1;
        for (int i = 0; i < 1024 && receivers > 0; i++)
            receivers = long.Parse(Encoding.ASCII.GetString(publisher.Call("PUBLISH", "firehose", payload)).Trim(':', '\r', '\n'));
        Assert.Equal(0, receivers);
    }
}
