using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Hash commands against real Redis; replies in Redis's hash order are compared unordered.</summary>
public sealed class HashDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void SetGetDelete()
    {
        Same("HSET", "h", "a", "1", "b", "2");
        Same("HSET", "h", "a", "10", "c", "3", "c", "4");
        Same("HSET", "h", "a");
        Same("HSET", "h", "a", "1", "b");
        Same("HMSET", "h", "d", "5", "e", "6");
        Same("HMSET", "h", "d");
        Same("HSETNX", "h", "a", "x");
        Same("HSETNX", "h", "z", "26");
        Same("HGET", "h", "a");
        Same("HGET", "h", "nope");
        Same("HGET", "missing", "a");
        Same("HMGET", "h", "a", "nope", "c");
        Same("HMGET", "missing", "a", "b");
        Same("HLEN", "h");
        Same("HLEN", "missing");
        Same("HSTRLEN", "h", "a");
        Same("HSTRLEN", "h", "nope");
        Same("HEXISTS", "h", "a");
        Same("HEXISTS", "h", "nope");
        Same("HEXISTS", "missing", "a");
        Same("HDEL", "h", "a", "nope", "b");
        Same("HDEL", "missing", "a");
        SameUnordered("HKEYS", "h");
        SameUnordered("HVALS", "h");
        SameUnordered("HGETALL", "h");
        Same("HKEYS", "missing");
        Same("HGETALL", "missing");
        Same("HDEL", "h", "c", "d", "e", "z");
        Same("EXISTS", "h");
        Same("HGET", "h");
    }

    [SkippableFact]
    public void WrongType()
    {
        Setup("SET", "s", "v");
        foreach (var cmd in new[] { "HGET s a", "HSET s a 1", "HSETNX s a 1", "HMGET s a", "HDEL s a", "HLEN s", "HSTRLEN s a",
                     "HEXISTS s a", "HKEYS s", "HVALS s", "HGETALL s", "HINCRBY s a 1", "HINCRBYFLOAT s a 1", "HRANDFIELD s",
                     "HRANDFIELD s 2", "HSCAN s 0", "HMSET s a 1" })
            Same(cmd.Split(' '));
    }

    [SkippableFact]
    public void Increments()
    {
        Same("HINCRBY", "h", "n", "5");
        Same("HINCRBY", "h", "n", "-7");
        Same("HINCRBY", "h", "n", "abc");
        Same("HSET", "h", "s", "text", "big", "9223372036854775807");
        Same("HINCRBY", "h", "s", "1");
        Same("HINCRBY", "h", "big", "1");
        Same("HINCRBYFLOAT", "h", "f", "10.5");
        Same("HINCRBYFLOAT", "h", "f", "0.1");
        Same("HINCRBYFLOAT", "h", "f", "-5e3");
        Same("HINCRBYFLOAT", "h", "f", "1e400");
        Same("HINCRBYFLOAT", "h", "f", "-1e400");
        Same("HINCRBYFLOAT", "h", "f", "1e-400");
        Same("HINCRBYFLOAT", "h", "f", "1e5000");
        Same("HINCRBYFLOAT", "h", "f", ".5");
        Same("HINCRBYFLOAT", "h", "f", "5.");
        Same("HINCRBYFLOAT", "h", "f", "+1.5E2");
        Same("HINCRBYFLOAT", "h", "f", "0.3333333333333333333333");
        Same("HINCRBYFLOAT", "h", "f", "-123456789.987654321");
        Same("HSET", "h", "big", "9223372036854775805");
        Same("HINCRBYFLOAT", "h", "big", "1.5");
        Same("HINCRBYFLOAT", "h", "big", "1e30");
        Same("HINCRBYFLOAT", "h", "big", "-1e30");
        Same("HSET", "h", "tiny", "1e-30");
        Same("HINCRBYFLOAT", "h", "tiny", "1e-30");
        Same("HINCRBYFLOAT", "h", "tiny", "-2e-30");
        Same("HINCRBYFLOAT", "h", "f", "0.25");
        Same("HINCRBYFLOAT", "h", "f", "-5e3");
        Same("HINCRBYFLOAT", "h", "n", "1.5");
        Same("HINCRBYFLOAT", "h", "f", "abc");
        Same("HINCRBYFLOAT", "h", "s", "1");
        Same("HINCRBYFLOAT", "h", "f", "inf");
        Same("HGET", "h", "f");
    }

    [SkippableFact]
    public void RandomField()
    {
        Same("HRANDFIELD", "missing");
        Same("HRANDFIELD", "missing", "3");
        Same("HRANDFIELD", "missing", "-3", "WITHVALUES");
        Same("HSET", "h", "a", "1");
        Same("HRANDFIELD", "h");
        Same("HRANDFIELD", "h", "1", "WITHVALUES");
        Same("HRANDFIELD", "h", "-3");
        Same("HRANDFIELD", "h", "-2", "WITHVALUES");
        Same("HRANDFIELD", "h", "0");
        Same("HSET", "h", "b", "2", "c", "3");
        SameUnordered("HRANDFIELD", "h", "5");
        SameUnordered("HRANDFIELD", "h", "3", "WITHVALUES");
        SameHeader("HRANDFIELD", "h", "2");
        SameHeader("HRANDFIELD", "h", "-7", "WITHVALUES");
        Same("HRANDFIELD", "h", "abc");
        Same("HRANDFIELD", "h", "2", "WITHVALUE");
        Same("HRANDFIELD", "h", "2", "WITHVALUES", "x");
        Same("HRANDFIELD", "h", "-9223372036854775808");
        Same("HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES");
        Same("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES");
    }

    [SkippableFact]
    public void Scan()
    {
        Same("HSCAN", "missing", "0");
        Same("HSCAN", "h", "abc");
        Same("HSET", "h", "a1", "1", "a2", "2", "b1", "3");
        SameScan(true, "HSCAN", "h");
        SameScan(true, "HSCAN", "h", "MATCH", "a*");
        SameScan(true, "HSCAN", "h", "COUNT", "1");
        Same("HSCAN", "h", "0", "COUNT", "0");
        Same("HSCAN", "h", "0", "MATCH");
        Same("HSCAN", "h", "0", "BOGUS", "1");
    }

    [SkippableFact]
    public void LargeHash_MultiBlock()
    {
        var args = new List<string> { "HSET", "big" };
        for (int i = 0; i < 3000; i++) args.AddRange([$"field:{i:D5}", $"value-{i}-{new string('x', i % 40)}"]);
        Same([.. args]);
        AwaitOursFlushed();
        Same("HLEN", "big");
        Same("HGET", "big", "field:02999");
        Same("HMGET", "big", "field:00000", "field:01500", "nope");
        SameUnordered("HKEYS", "big");
        SameUnordered("HGETALL", "big");
        SameScan(true, "HSCAN", "big", "COUNT", "100");
        SameScan(true, "HSCAN", "big", "MATCH", "field:01*");
        Same("HDEL", "big", "field:00001", "field:00002");
        Same("HLEN", "big");
        SameHeader("HRANDFIELD", "big", "50", "WITHVALUES");
    }

    [SkippableFact]
    public void Resp3()
    {
        RequireRedis();
        Setup("HELLO", "3");
        Same("HSET", "h", "a", "1");
        Same("HGETALL", "h");
        Same("HGETALL", "missing");
        Same("HGET", "h", "nope");
        Same("HMGET", "h", "a", "nope");
        Same("HRANDFIELD", "h", "1", "WITHVALUES");
        Same("HRANDFIELD", "h", "-2", "WITHVALUES");
        Same("HRANDFIELD", "missing");
        Same("HSCAN", "h", "0");
        Same("HINCRBYFLOAT", "h", "f", "1.5");
    }

    /// <summary>Extreme integers, odd float literals and repeated options, where Redis's parsing has its quirks.</summary>
    [SkippableFact]
    public void EdgeCases() => SameEach(
            "HSET h a 1", "HINCRBY h a 9223372036854775807", "HINCRBY h a -9223372036854775808",
            "HINCRBYFLOAT h a \t1", "HINCRBYFLOAT h a 1\t", "HSET h e 1e5", "HINCRBYFLOAT h e 1", "HSET h sp 1\t", "HINCRBYFLOAT h sp 1",
            "HINCRBY h e 1", "HSET h neg -0", "HINCRBY h neg 1", "HSTRLEN h e", "HRANDFIELD h 0 WITHVALUES", "HSCAN h 0 MATCH",
            "HSCAN h 18446744073709551616", "HSCAN h +", "HSCAN h 1a", "HMGET h", "HGETALL h a", "HINCRBYFLOAT h z -0", "HGET h z",
            "HSET h x 1", "HINCRBYFLOAT h x 1e400", "HINCRBYFLOAT h x 1.5e308", "HINCRBYFLOAT h x -1.5e308");
}
