using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>The keyspace notifications of the stream commands (class t, plus new, del, generic ones), compared with Redis's message for message.</summary>
public sealed class StreamNotificationDifferentialTests : DifferentialTest
{
    private const string Sentinel = "__keysentinel__:end";

    private readonly DifferentialFixture _fixture;

    public StreamNotificationDifferentialTests(DifferentialFixture fixture) : base(fixture) => _fixture = fixture;

    private static List<string> Drain(RawClient subscriber, int port)
    {
        using (var publisher = new RawClient(port)) publisher.Call("PUBLISH", Sentinel, "end");
        var messages = new List<string>();
        while (true)
        {
            string message = Show(subscriber.ReadReply());
            if (message.Contains(Sentinel, StringComparison.Ordinal)) return messages;
            messages.Add(message);
        }
    }

    private void SameEvents(string flags, params string[] lines)
    {
        RequireRedis();
        Same("CONFIG", "SET", "notify-keyspace-events", flags);
        using var redis = new RawClient(_fixture.Redis.Port);
        using var ours = new RawClient(_fixture.Ours.Port);
        redis.Call("PSUBSCRIBE", "__key*__:*");
        ours.Call("PSUBSCRIBE", "__key*__:*");
        foreach (var line in lines) Same(line.Split(' '));
        var expected = Drain(redis, _fixture.Redis.Port);
        var actual = Drain(ours, _fixture.Ours.Port);
        Setup("CONFIG", "SET", "notify-keyspace-events", "");
        Assert.True(expected.SequenceEqual(actual), $"flags {flags}\n  redis:    {string.Join(" | ", expected)}\n  tieredkv: {string.Join(" | ", actual)}");
    }

    [SkippableFact]
    public void EntryCommands_RaiseXAddXTrimXDelXSetId()
    {
        SameEvents("KEA", "XADD s 1-0 a 1", "XADD s 2-0 a 1", "XADD s MAXLEN 1 3-0 a 1", "XADD s MAXLEN 5 4-0 a 1", "XDEL s 9-0", "XDEL s 3-0",
            "XTRIM s MAXLEN 5", "XTRIM s MAXLEN 0", "XSETID s 10-0", "XADD s NOMKSTREAM 11-0 a 1", "XADD t NOMKSTREAM 1-0 a 1", "DEL s");
    }

    [SkippableFact]
    public void GroupCommands_RaiseTheirXGroupEvents()
    {
        SameEvents("KEA", "XGROUP CREATE s g $ MKSTREAM", "XADD s 1-0 a 1", "XADD s 2-0 a 1", "XGROUP CREATE s g $", "XGROUP SETID s g 0",
            "XGROUP CREATECONSUMER s g c1", "XGROUP CREATECONSUMER s g c1", "XREADGROUP GROUP g c2 COUNT 1 STREAMS s >", "XREADGROUP GROUP g c2 STREAMS s >",
            "XACK s g 1-0", "XCLAIM s g c3 0 2-0 JUSTID", "XAUTOCLAIM s g c4 0 0 JUSTID", "XGROUP DELCONSUMER s g c1", "XGROUP DELCONSUMER s g nobody",
            "XGROUP DESTROY s g", "XGROUP DESTROY s g");
    }

    [SkippableFact]
    public void OnlyTheStreamClass_WhenAskedForT()
    {
        SameEvents("Kt", "XADD s 1-0 a 1", "XGROUP CREATE s g 0", "XDEL s 1-0", "DEL s", "XGROUP CREATE n g $ MKSTREAM");
    }

    [SkippableFact]
    public void NewKeys_AreReportedForXAddAndMkStream()
    {
        SameEvents("KEn", "XADD s 1-0 a 1", "XADD s 2-0 a 1", "XGROUP CREATE m g $ MKSTREAM", "XADD n NOMKSTREAM 1-0 a 1", "COPY s c", "RESTORE x 0 x");
    }
}
