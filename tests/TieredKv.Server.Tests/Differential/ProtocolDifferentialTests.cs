using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Protocol edge cases: inline commands, pipelining, malformed input (Redis's errors, then the connection closes).</summary>
public sealed class ProtocolDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [SkippableFact]
    public void InlineCommands_WithQuotes()
    {
        SameRaw(B("SET inline \"hello world\"\r\n"));
        SameRaw(B("GET inline\r\n"));
        SameRaw(B("ECHO 'single quoted'\n"));
        SameRaw(B("ECHO \"esc\\x41\\n\"\r\n"));
    }

    [SkippableFact]
    public void Pipeline_RepliesInOrder()
    {
        var request = B("*3\r\n$3\r\nSET\r\n$1\r\np\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\np\r\n*2\r\n$3\r\nGET\r\n$1\r\np\r\n");
        var (redis, ours) = Clients;
        RequireRedis();
        redis.SendRaw(request);
        ours.SendRaw(request);
        for (int i = 0; i < 3; i++) Assert.Equal(redis.ReadReply(), ours.ReadReply());
    }

    [SkippableTheory]
    [InlineData("*abc\r\n")]
    [InlineData("*2\r\n$3\r\nGET\r\n:1\r\n")]
    [InlineData("*1\r\n$-5\r\n")]
    [InlineData("*1\r\n$999999999999\r\n")]
    [InlineData("SET a \"unbalanced\r\n")]
    public void MalformedInput_GetsRedisErrorAndClosesConnection(string request)
    {
        SameRaw(B(request));
        var (redis, ours) = Clients;
        Assert.True(redis.IsClosedByServer());
        Assert.True(ours.IsClosedByServer());
    }

    [SkippableFact]
    public void Resp3_Hello_SwitchesNullAndMapEncodings()
    {
        RequireRedis();
        var (redis, ours) = Clients;
        redis.Call("HELLO", "3");
        ours.Call("HELLO", "3");
        Same("GET", "missing");
        Same("SET", "k", "v");
        Same("CONFIG", "GET", "maxclients");
        Same("MGET", "k", "missing");
    }
}
