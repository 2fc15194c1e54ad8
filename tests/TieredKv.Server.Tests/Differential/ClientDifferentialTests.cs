using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>CLIENT against real Redis 7.0.15: errors of REPLY, PAUSE, UNBLOCK, TRACKING, CACHING; TRACKINGINFO and GETREDIR; the info line's fields; invalidation messages.</summary>
public sealed class ClientDifferentialTests : DifferentialTest
{
    private readonly DifferentialFixture _fixture;

    public ClientDifferentialTests(DifferentialFixture fixture) : base(fixture) => _fixture = fixture;

    [SkippableFact]
    public void Help_AndUnknownSubcommand()
    {
        SameEach("CLIENT HELP", "CLIENT HELP x", "CLIENT NOSUCH", "CLIENT");
    }

    [SkippableFact]
    public void ReplyPauseUnblock_Errors()
    {
        SameEach(
            "CLIENT REPLY", "CLIENT REPLY foo", "CLIENT REPLY ON",
            "CLIENT PAUSE", "CLIENT PAUSE abc", "CLIENT PAUSE -1", "CLIENT PAUSE 10 foo", "CLIENT PAUSE 10 write extra",
            "CLIENT UNPAUSE x", "CLIENT UNPAUSE",
            "CLIENT UNBLOCK", "CLIENT UNBLOCK abc", "CLIENT UNBLOCK 123456", "CLIENT UNBLOCK 123456 foo", "CLIENT UNBLOCK 123456 error",
            "CLIENT UNBLOCK 1 timeout x", "CLIENT UNBLOCK -1");
    }

    [SkippableFact]
    public void Tracking_OptionErrors()
    {
        SameEach(
            "CLIENT TRACKING", "CLIENT TRACKING foo", "CLIENT TRACKING on foo", "CLIENT TRACKING on REDIRECT",
            "CLIENT TRACKING on PREFIX a", "CLIENT TRACKING on OPTIN OPTOUT", "CLIENT TRACKING on BCAST OPTIN",
            "CLIENT TRACKING on REDIRECT 987654", "CLIENT TRACKING on REDIRECT abc",
            "CLIENT TRACKING on BCAST PREFIX a PREFIX ab",
            "CLIENT CACHING yes", "CLIENT CACHING", "CLIENT GETREDIR x", "CLIENT TRACKINGINFO x");
    }

    [SkippableFact]
    public void Kill_FilterErrors()
    {
        SameEach("CLIENT KILL TYPE foo", "CLIENT KILL TYPE pubsub", "CLIENT KILL TYPE master", "CLIENT KILL ID abc", "CLIENT KILL ID 0",
            "CLIENT KILL TYPE normal SKIPME maybe", "CLIENT KILL foo bar", "CLIENT KILL 1.2.3.4:5", "CLIENT KILL USER nobody",
            "CLIENT KILL ADDR x LADDR y");
    }

    [SkippableFact]
    public void TrackingInfo_FollowsEachMode()
    {
        SameEach(
            "CLIENT TRACKINGINFO", "CLIENT GETREDIR",
            "CLIENT TRACKING on", "CLIENT CACHING yes", "CLIENT CACHING foo", "CLIENT TRACKINGINFO", "CLIENT GETREDIR",
            "CLIENT TRACKING on BCAST",
            "CLIENT TRACKING off", "CLIENT TRACKING on OPTIN", "CLIENT CACHING yes", "CLIENT CACHING no", "CLIENT TRACKINGINFO",
            "CLIENT TRACKING on OPTOUT",
            "CLIENT TRACKING off", "CLIENT TRACKING on OPTOUT NOLOOP", "CLIENT CACHING no", "CLIENT TRACKINGINFO",
            "CLIENT TRACKING off", "CLIENT TRACKING on BCAST PREFIX a PREFIX b NOLOOP", "CLIENT TRACKINGINFO",
            "CLIENT TRACKING on BCAST PREFIX c", "CLIENT TRACKING on BCAST PREFIX a", "CLIENT TRACKING on BCAST PREFIX ab",
            "CLIENT TRACKINGINFO", "CLIENT TRACKING on",
            "CLIENT TRACKING off", "CLIENT TRACKING on BCAST", "CLIENT TRACKINGINFO",
            "CLIENT TRACKING off", "CLIENT TRACKINGINFO");
        Setup("HELLO", "3");
        SameEach("CLIENT TRACKING on OPTIN", "CLIENT CACHING yes", "CLIENT TRACKINGINFO");
    }

    [SkippableFact]
    public void InfoLine_HasRedisFieldsInOrder()
    {
        RequireRedis();
        var (redis, ours) = Clients;
        static string Names(byte[] reply) =>
            string.Join(' ', Encoding.UTF8.GetString(reply).Split("\r\n")[1].Split(' ').Select(f => f.Split('=')[0]));
        Assert.Equal(Names(redis.Call("CLIENT", "INFO")), Names(ours.Call("CLIENT", "INFO")));
        // Each server's own id for this connection: which ids exist depends on what other tests connected before.
        static string OwnId(RawClient client) => Encoding.UTF8.GetString(client.Call("CLIENT", "ID")).Trim(':', '\r', '\n');
        Assert.Equal(Names(redis.Call("CLIENT", "LIST", "ID", OwnId(redis))), Names(ours.Call("CLIENT", "LIST", "ID", OwnId(ours))));
        SameEach("CLIENT LIST TYPE foo", "CLIENT LIST ID abc", "CLIENT LIST ID 999999", "CLIENT LIST foo", "CLIENT LIST TYPE master",
            "CLIENT LIST TYPE normal ID 999998", "CLIENT NO-EVICT maybe", "CLIENT NO-EVICT on", "CLIENT NO-EVICT off");
    }

    [SkippableFact]
    public void Resp3_Invalidations_AsRedisSendsThem()
    {
        RequireRedis();
        using var r = new RawClient(_fixture.Redis.Port);
        using var o = new RawClient(_fixture.Ours.Port);
        var writer = (r, o);
        Setup("HELLO", "3");
        Same("CLIENT", "TRACKING", "on");
        Same("GET", "t.k");
        Same("MGET", "t.k2", "t.k3");
        SameOn(writer, "MSET", "t.k", "1", "t.k2", "2");
        SameMessage();
        SameMessage();
        Same("SET", "t.k3", "own");
        SameMessage();
        Same("GET", "t.k");
        SameOn(writer, "FLUSHALL");
        SameMessage();
        Same("CLIENT", "TRACKING", "off");
        Same("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "t.");
        SameOn(writer, "MSET", "t.a", "1", "x", "2", "t.b", "3");
        SameMessage();
        Same("SET", "t.self", "1");
        SameMessage();
        Same("CLIENT", "TRACKING", "off");
        Same("CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "t.", "NOLOOP");
        Same("SET", "t.self", "2");
        SameOn(writer, "DEL", "t.self");
        SameMessage();
    }

    [SkippableFact]
    public void Resp3_OptOut_CachingNoSkipsOneCommand()
    {
        RequireRedis();
        using var r = new RawClient(_fixture.Redis.Port);
        using var o = new RawClient(_fixture.Ours.Port);
        var writer = (r, o);
        Setup("HELLO", "3");
        Same("CLIENT", "TRACKING", "on", "OPTOUT");
        Same("CLIENT", "CACHING", "no");
        Same("GET", "oo.skipped");
        Same("GET", "oo.tracked");
        SameOn(writer, "MSET", "oo.skipped", "1", "oo.tracked", "2");
        SameMessage();
        Same("PING");
    }

    [SkippableFact]
    public void Resp2_RedirectMessages_AsRedisSendsThem()
    {
        RequireRedis();
        using var r = new RawClient(_fixture.Redis.Port);
        using var o = new RawClient(_fixture.Ours.Port);
        var tracker = (r, o);
        string redisId = Encoding.UTF8.GetString(Clients.Redis.Call("CLIENT", "ID")).Trim(':', '\r', '\n');
        string oursId = Encoding.UTF8.GetString(Clients.Ours.Call("CLIENT", "ID")).Trim(':', '\r', '\n');
        Same("SUBSCRIBE", "__redis__:invalidate");
        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(r.Call("CLIENT", "TRACKING", "on", "REDIRECT", redisId)));
        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(o.Call("CLIENT", "TRACKING", "on", "REDIRECT", oursId)));
        SameOn(tracker, "GET", "rd.k");
        SameOn(tracker, "SET", "rd.k", "1");
        SameMessage();
        SameOn(tracker, "FLUSHDB");
        SameMessage();
    }
}
