using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Integration;

/// <summary>Asynchronous delivery: messages from other connections arrive in order, and a subscriber that stops reading is disconnected instead of stalling publishers.</summary>
public sealed class PubSubDeliveryTests
{
    private static string Text(byte[] reply) => Encoding.UTF8.GetString(reply);

    [Fact]
    public void MessagesFromConcurrentPublishers_AllArrive_InPerPublisherOrder()
    {
        using var server = new TieredKvServer();
        using var subscriber = new RawClient(server.Port);
        subscriber.Call("SUBSCRIBE", "load");
        const int publishers = 4, each = 200;
        Parallel.For(0, publishers, p =>
        {
            using var client = new RawClient(server.Port);
            for (int i = 0; i < each; i++) Assert.Equal(":1\r\n", Text(client.Call("PUBLISH", "load", $"{p}:{i}")));
        });
        var next = new int[publishers];
        for (int n = 0; n < publishers * each; n++)
        {
            var parts = Text(subscriber.ReadReply()).Split("\r\n");
            Assert.Equal("message", parts[2]);
            var (p, i) = (int.Parse(parts[6].Split(':')[0]), int.Parse(parts[6].Split(':')[1]));
            Assert.Equal(next[p]++, i);
        }
        Assert.Equal("*2\r\n$4\r\npong\r\n$0\r\n\r\n", Text(subscriber.Call("PING")));
    }

    [Fact]
    public void SlowSubscriber_OverOutputLimit_IsDisconnected_PublisherNeverBlocks()
    {
        using var server = new TieredKvServer();
        server.State.Options.PubSubOutputLimit = new(256 * 1024, 0, 0);
        using var slow = new RawClient(server.Port);
        slow.Call("SUBSCRIBE", "firehose");
        using var publisher = new RawClient(server.Port);
        var payload = new string('x', 64 * 1024);
        long receivers = 1;
        // Loopback socket buffers absorb a few MB before the subscriber's queue grows; 64 MB is far beyond that.
        for (int i = 0; i < 1024 && receivers > 0; i++)
            receivers = long.Parse(Text(publisher.Call("PUBLISH", "firehose", payload)).Trim(':', '\r', '\n'));
        Assert.Equal(0, receivers);
        Assert.Equal(":0\r\n", Text(publisher.Call("PUBSUB", "NUMSUB", "firehose")).Split("\r\n")[3] + "\r\n");
    }

    [Fact]
    public void Exec_IsAtomic_AgainstConcurrentWriters()
    {
        using var server = new TieredKvServer();
        const int clients = 4, rounds = 100;
        Parallel.For(0, clients, _ =>
        {
            using var c = new RawClient(server.Port);
            for (int i = 0; i < rounds; i++)
            {
                // Optimistic increment by WATCH/GET/MULTI/SET/EXEC, retried when another client got there first.
                while (true)
                {
                    c.Call("WATCH", "counter");
                    var value = Text(c.Call("GET", "counter"));
                    long n = value.StartsWith('$') && !value.StartsWith("$-1") ? long.Parse(value.Split("\r\n")[1]) : 0;
                    c.Call("MULTI");
                    c.Call("SET", "counter", (n + 1).ToString());
                    if (Text(c.Call("EXEC")) != "*-1\r\n") break;
                }
            }
        });
        using var check = new RawClient(server.Port);
        Assert.Equal($"${(clients * rounds).ToString().Length}\r\n{clients * rounds}\r\n", Text(check.Call("GET", "counter")));
    }
}
