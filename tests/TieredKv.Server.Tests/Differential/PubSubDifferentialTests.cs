using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Pub/sub against real Redis and TieredKv: confirmations, messages (RESP2 arrays and RESP3 pushes), subscribed-mode errors, PUBSUB introspection.</summary>
public sealed class PubSubDifferentialTests : DifferentialTest
{
    private readonly DifferentialFixture _fixture;

    public PubSubDifferentialTests(DifferentialFixture fixture) : base(fixture) => _fixture = fixture;

    [SkippableFact]
    public void Resp2_SubscribePublishUnsubscribe()
    {
        RequireRedis();
        using var r1 = new RawClient(_fixture.Redis.Port);
        using var o1 = new RawClient(_fixture.Ours.Port);
        var publisher = (r1, o1);
        Same("SUBSCRIBE", "r2.a", "r2.b");
        // The second confirmation of a multi-channel SUBSCRIBE is a separate reply.
        SameMessage();
        Same("PSUBSCRIBE", "r2.*");
        SameOn(publisher, "PUBLISH", "r2.a", "hello");
        SameMessage();
        SameMessage();
        SameOn(publisher, "PUBLISH", "r2.zzz", "only pattern");
        SameMessage();
        SameOn(publisher, "PUBLISH", "elsewhere", "nobody");
        Same("PING");
        Same("PING", "hi");
        Same("GET", "x");
        Same("SET", "x", "1");
        Same("UNSUBSCRIBE", "r2.a");
        Same("UNSUBSCRIBE", "never");
        Same("UNSUBSCRIBE");
        Same("PUNSUBSCRIBE");
        Same("PUNSUBSCRIBE");
        Same("UNSUBSCRIBE");
        // Out of subscribed mode: ordinary commands again.
        Same("PING");
        Same("GET", "x");
    }

    [SkippableFact]
    public void Resp3_PushFramesAndAnyCommand()
    {
        RequireRedis();
        var publisher = NewConnections();
        using var _1 = publisher.Redis;
        using var _2 = publisher.Ours;
        Setup("HELLO", "3");
        Same("SUBSCRIBE", "r3.q");
        Same("PING");
        Same("GET", "missing");
        // Publishing to itself: the push arrives before the PUBLISH reply, as in Redis.
        Same("PUBLISH", "r3.q", "self");
        SameMessage();
        Same("PSUBSCRIBE", "r3.*");
        SameOn(publisher, "PUBLISH", "r3.q", "both");
        SameMessage();
        SameMessage();
        Same("UNSUBSCRIBE");
        Same("PUNSUBSCRIBE", "r3.*");
        Same("PUNSUBSCRIBE");
    }

    [SkippableFact]
    public void PubSubIntrospection()
    {
        RequireRedis();
        var publisher = NewConnections();
        using var _1 = publisher.Redis;
        using var _2 = publisher.Ours;
        Same("SUBSCRIBE", "intro.one");
        Same("PSUBSCRIBE", "intro.p*");
        SameOn(publisher, "PUBSUB", "CHANNELS", "intro.*");
        SameOn(publisher, "PUBSUB", "NUMSUB", "intro.one", "intro.none");
        SameOn(publisher, "PUBSUB", "NUMSUB");
        SameOn(publisher, "PUBSUB", "NUMPAT");
        SameOn(publisher, "PUBSUB", "CHANNELS", "a", "b");
        SameOn(publisher, "PUBSUB", "NUMPAT", "x");
        SameOn(publisher, "PUBSUB", "BOGUS");
        SameOn(publisher, "PUBSUB");
        SameOn(publisher, "PUBLISH", "intro.one");
        SameOn(publisher, "SUBSCRIBE");
        SameOn(publisher, "PUBLISH", "intro.one", "counted");
        SameMessage();
        Same("RESET");
        Same("PING");
    }

    [SkippableFact]
    public void Publish_AfterUnsubscribeAll_CountsNoSubscriber()
    {
        RequireRedis();
        var publisher = NewConnections();
        using var _1 = publisher.Redis;
        using var _2 = publisher.Ours;
        Same("SUBSCRIBE", "only");
        // Redis unsubscribes several channels in its own hash order: subscribed to one, the reply is deterministic.
        Same("UNSUBSCRIBE");
        SameOn(publisher, "PUBLISH", "only", "x");
        SameOn(publisher, "PUBSUB", "NUMSUB", "only");
        Same("PSUBSCRIBE", "p*");
        Same("PUNSUBSCRIBE");
        SameOn(publisher, "PUBLISH", "p1", "x");
        SameOn(publisher, "PUBSUB", "NUMPAT");
    }
}
