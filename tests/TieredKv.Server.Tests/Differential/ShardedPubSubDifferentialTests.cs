using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Sharded pub/sub against real Redis 7.0.15: SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH (RESP2 and RESP3), their counts apart from channels, PUBSUB SHARDCHANNELS and SHARDNUMSUB.</summary>
public sealed class ShardedPubSubDifferentialTests : DifferentialTest
{
    private readonly DifferentialFixture _fixture;

    public ShardedPubSubDifferentialTests(DifferentialFixture fixture) : base(fixture) => _fixture = fixture;

    private (RawClient Redis, RawClient Ours) Other() => (new RawClient(_fixture.Redis.Port), new RawClient(_fixture.Ours.Port));

    private static string Show(byte[] reply) => Encoding.UTF8.GetString(reply).Replace("\r\n", "\\r\\n");

    private static void SameOn((RawClient Redis, RawClient Ours) pair, params string[] command)
    {
        string e = Show(pair.Redis.Call(command)), a = Show(pair.Ours.Call(command));
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
    }

    private void SameMessage()
    {
        var (redis, ours) = Clients;
        string e = Show(redis.ReadReply()), a = Show(ours.ReadReply());
        Assert.True(e == a, $"pushed message\n  redis:    {e}\n  tieredkv: {a}");
    }

    private static List<string> Elements(byte[] reply) => [.. Encoding.UTF8.GetString(reply).Split("\r\n").Order(StringComparer.Ordinal)];

    [SkippableFact]
    public void Resp2_ShardSubscribe_CountsApartFromChannels()
    {
        RequireRedis();
        var other = Other();
        using var _1 = other.Redis;
        using var _2 = other.Ours;
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
