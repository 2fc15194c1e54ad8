using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Sharded pub/sub against real Redis 7.0.15: SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH (RESP2 and RESP3), their counts apart from channels, PUBSUB SHARDCHANNELS and SHARDNUMSUB.</summary>
public sealed class ShardedPubSubDifferentialTests : DifferentialTest
{
    public ShardedPubSubDifferentialTests(DifferentialFixture fixture) : base(fixture) { }

    private static List<string> Elements(byte[] reply) => [.. Encoding.UTF8.GetString(reply).Split("\r\n").Order(StringComparer.Ordinal)];

    [SkippableFact]
    public void Resp2_ShardSubscribe_CountsApartFromChannels()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SUBSCRIBE", "plain");
        Same("SSUBSCRIBE", "s.a");
        Same("SSUBSCRIBE", "s.b", "s.c");
        SameMessage();
        Same("PSUBSCRIBE", "s.*");
        SameOn(other, "SPUBLISH", "s.b", "hello");
        SameMessage();
        // Patterns never match shard channels, and PUBLISH does not reach shard subscribers.
        SameOn(other, "PUBLISH", "s.b", "plain message");
        SameMessage();
        SameOn(other, "PUBSUB", "SHARDNUMSUB", "s.a", "s.b", "none");
        // Redis lists them in its hash table's order.
        var (e, a) = (Elements(other.Redis.Call("PUBSUB", "SHARDCHANNELS", "s.[ab]")), Elements(other.Ours.Call("PUBSUB", "SHARDCHANNELS", "s.[ab]")));
        Assert.Equal(e, a);
        SameOn(other, "PUBSUB", "CHANNELS");
        Same("GET", "x");
        Same("SUNSUBSCRIBE", "s.a", "s.b");
        SameMessage();
        Same("UNSUBSCRIBE");
        // One left: the order of a multi-channel SUNSUBSCRIBE is Redis's hash table's.
        Same("SUNSUBSCRIBE");
        Same("SUNSUBSCRIBE");
        Same("PUNSUBSCRIBE");
        Same("PING");
    }

    [SkippableFact]
    public void Resp3_SmessagePushes_AndSelfPublish()
    {
        Setup("HELLO", "3");
        Same("SUNSUBSCRIBE");
        Same("SSUBSCRIBE", "r3.s");
        Same("SPUBLISH", "r3.s", "self");
        SameMessage();
        Same("SUNSUBSCRIBE", "r3.s", "never");
        SameMessage();
    }

    [SkippableFact]
    public void Errors_AndIntrospectionWithoutSubscribers()
    {
        SameEach(
            "SPUBLISH a",
            "SPUBLISH a b",
            "SSUBSCRIBE",
            "PUBSUB SHARDCHANNELS",
            "PUBSUB SHARDCHANNELS a b",
            "PUBSUB SHARDNUMSUB",
            "PUBSUB SHARDNUMSUB a b",
            "PUBSUB HELP",
            "PUBSUB HELP x");
    }
}
