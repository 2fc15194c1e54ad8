using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// Collection commands with 64-bit extremes for their integer arguments: each must answer as Redis does
/// (a result or Redis's error), never overflow. Random replies are compared by their header only.
/// </summary>
public sealed class ExtremeArgumentDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableTheory]
    [InlineData("ZRANGE z -9223372036854775808 9223372036854775807")]
    [InlineData("ZRANGE z 9223372036854775807 -9223372036854775808 REV")]
    [InlineData("ZREMRANGEBYRANK z -9223372036854775808 9223372036854775807")]
    [InlineData("ZRANGEBYSCORE z -inf +inf LIMIT 9223372036854775807 9223372036854775807")]
    [InlineData("ZRANGEBYSCORE z -inf +inf LIMIT 1 -9223372036854775808")]
    [InlineData("ZRANGEBYLEX z - + LIMIT 9223372036854775807 1")]
    [InlineData("ZREVRANGEBYSCORE z +inf -inf LIMIT 9223372036854775807 9223372036854775807")]
    [InlineData("ZRANGESTORE d z -inf +inf BYSCORE LIMIT 9223372036854775807 9223372036854775807")]
    [InlineData("ZRANDMEMBER z 9223372036854775807 WITHSCORES")]
    [InlineData("ZPOPMAX z 9223372036854775807")]
    [InlineData("ZMPOP 1 z MAX COUNT 9223372036854775807")]
    [InlineData("ZINTERCARD 1 z LIMIT 9223372036854775807")]
    [InlineData("ZUNION 9223372036854775807 z")]
    [InlineData("ZUNION -9223372036854775808 z")]
    [InlineData("HRANDFIELD h 9223372036854775807 WITHVALUES")]
    [InlineData("HINCRBY h n -9223372036854775808")]
    [InlineData("HSCAN h 0 COUNT 9223372036854775807")]
    [InlineData("ZRANDMEMBER z 4611686018427387904 WITHSCORES")]
    [InlineData("ZRANDMEMBER z -4611686018427387904 WITHSCORES")]
    [InlineData("ZRANDMEMBER z 4611686018427387903 WITHSCORES")]
    [InlineData("SSCAN s 0 COUNT 9223372036854775807")]
    [InlineData("ZSCAN z 0 COUNT 9223372036854775807")]
    [InlineData("LRANGE l 9223372036854775807 -9223372036854775808")]
    [InlineData("LTRIM l -9223372036854775808 -9223372036854775808")]
    [InlineData("LSET l -9223372036854775808 x")]
    [InlineData("LINDEX l -9223372036854775808")]
    [InlineData("LPOS l a RANK 9223372036854775807 COUNT 9223372036854775807 MAXLEN 9223372036854775807")]
    [InlineData("LPOS l a RANK -9223372036854775807 COUNT 0")]
    [InlineData("LPOP l 9223372036854775807")]
    [InlineData("LMPOP 1 l RIGHT COUNT 9223372036854775807")]
    [InlineData("SPOP s 9223372036854775807")]
    [InlineData("SINTERCARD 1 s LIMIT 9223372036854775807")]
    [InlineData("SINTERCARD 9223372036854775807 s")]
    [InlineData("ZREMRANGEBYRANK z 9223372036854775807 -9223372036854775808")]
    public void Extreme(string line)
    {
        RequireRedis();
        Setup("ZADD", "z", "1", "a", "2", "b");
        Setup("HSET", "h", "a", "1", "n", "-1");
        Setup("SADD", "s", "x");
        Setup("RPUSH", "l", "a", "b", "a");
        if (line.StartsWith("ZRANDMEMBER z 4611686018427387903") || line.StartsWith("SPOP") || line.StartsWith("HRANDFIELD h 9")) SameHeader(line.Split(' '));
        else Same(line.Split(' '));
    }
}
