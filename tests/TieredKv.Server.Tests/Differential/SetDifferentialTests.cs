using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Set commands against real Redis; member lists (Redis's hash or intset order) are compared unordered.</summary>
public sealed class SetDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void AddRemoveMembership()
    {
        Same("SADD", "s", "a", "b", "c", "a");
        Same("SADD", "s", "c", "d");
        Same("SREM", "s", "a", "zz");
        Same("SREM", "missing", "a");
        Same("SCARD", "s");
        Same("SCARD", "missing");
        Same("SISMEMBER", "s", "b");
        Same("SISMEMBER", "s", "zz");
        Same("SISMEMBER", "missing", "b");
        Same("SMISMEMBER", "s", "b", "zz", "c");
        Same("SMISMEMBER", "missing", "b");
        SameUnordered("SMEMBERS", "s");
        Same("SMEMBERS", "missing");
        Same("SADD", "n", "3", "1", "2", "10", "-5");
        Same("SMEMBERS", "n");
        Same("SADD", "m", "2", "10", "7");
        Same("SINTER", "n", "m");
        Same("SUNION", "n", "m");
        Same("SDIFF", "n", "m");
        Same("SREM", "n", "1", "2", "3", "10");
        Same("EXISTS", "n");
        Same("SADD", "s");
    }

    [SkippableFact]
    public void RandomAndPop()
    {
        Same("SRANDMEMBER", "missing");
        Same("SRANDMEMBER", "missing", "3");
        Same("SPOP", "missing");
        Same("SPOP", "missing", "3");
        Same("SADD", "one", "x");
        Same("SRANDMEMBER", "one");
        Same("SRANDMEMBER", "one", "-3");
        Same("SRANDMEMBER", "one", "0");
        Same("SADD", "s", "a", "b", "c");
        SameUnordered("SRANDMEMBER", "s", "5");
        SameHeader("SRANDMEMBER", "s", "2");
        SameHeader("SRANDMEMBER", "s", "-6");
        Same("SRANDMEMBER", "s", "x");
        Same("SRANDMEMBER", "s", "1", "2");
        Same("SRANDMEMBER", "s", "-9223372036854775808");
        Same("SPOP", "one");
        Same("EXISTS", "one");
        SameHeader("SPOP", "s", "2");
        Same("SCARD", "s");
        Same("SPOP", "s", "0");
        Same("SPOP", "s", "-1");
        Same("SPOP", "s", "x");
        Same("SPOP", "s", "1", "2");
        SameHeader("SPOP", "s", "5");
        Same("EXISTS", "s");
    }

    [SkippableFact]
    public void MoveAndAlgebra()
    {
        Same("SADD", "a", "1", "2", "3", "x");
        Same("SADD", "b", "2", "3", "4");
        Same("SADD", "c", "3", "4", "5");
        Same("SMOVE", "a", "b", "1");
        Same("SMOVE", "a", "b", "nope");
        Same("SMOVE", "missing", "b", "1");
        Same("SMOVE", "a", "new", "x");
        SameUnordered("SMEMBERS", "new");
        SameUnordered("SINTER", "a", "b");
        SameUnordered("SINTER", "a", "b", "c");
        Same("SINTER", "a", "missing");
        SameUnordered("SUNION", "a", "b", "c", "missing");
        SameUnordered("SDIFF", "b", "a", "missing");
        Same("SDIFF", "missing", "a");
        Same("SINTERSTORE", "d", "a", "b");
        SameUnordered("SMEMBERS", "d");
        Same("SUNIONSTORE", "d", "a", "b", "c");
        Same("SDIFFSTORE", "d", "c", "a");
        SameUnordered("SMEMBERS", "d");
        Same("SINTERSTORE", "d", "a", "missing");
        Same("EXISTS", "d");
        Same("SET", "str", "v");
        Same("SUNIONSTORE", "str", "a");
        Same("TYPE", "str");
        Same("SINTERCARD", "2", "a", "b");
        Same("SINTERCARD", "3", "b", "c", "missing");
        Same("SINTERCARD", "2", "b", "c", "LIMIT", "1");
        Same("SINTERCARD", "2", "b", "c", "LIMIT", "0");
        Same("SINTERCARD", "2", "b", "c", "LIMIT", "-1");
        Same("SINTERCARD", "2", "b", "c", "LIMIT");
        Same("SINTERCARD", "2", "b", "c", "BOGUS", "1");
        Same("SINTERCARD", "0", "b");
        Same("SINTERCARD", "x", "b");
        Same("SINTERCARD", "3", "b", "c");
    }

    [SkippableFact]
    public void WrongType()
    {
        Setup("SET", "str", "v");
        Setup("SADD", "s", "a");
        foreach (var cmd in new[] { "SADD str a", "SREM str a", "SCARD str", "SISMEMBER str a", "SMISMEMBER str a", "SMEMBERS str",
                     "SRANDMEMBER str", "SRANDMEMBER str 2", "SPOP str", "SPOP str 2", "SMOVE str s a", "SMOVE s str a",
                     "SINTER s str", "SUNION str s", "SDIFF s str", "SINTERSTORE d s str", "SINTERCARD 2 s str", "SSCAN str 0" })
            Same(cmd.Split(' '));
    }

    [SkippableFact]
    public void Scan()
    {
        Same("SSCAN", "missing", "0");
        Same("SSCAN", "s", "x");
        Same("SADD", "s", "a1", "a2", "b1");
        SameScan(false, "SSCAN", "s");
        SameScan(false, "SSCAN", "s", "MATCH", "a*", "COUNT", "1");
        Same("SSCAN", "s", "0", "COUNT", "0");
        Same("SSCAN", "s", "0", "MATCH");
    }

    [SkippableFact]
    public void LargeSet_MultiBlock()
    {
        var args = new List<string> { "SADD", "big" };
        for (int i = 0; i < 3000; i++) args.Add($"member:{i:D5}:{new string('z', i % 30)}");
        Same([.. args]);
        AwaitOursFlushed();
        Same("SADD", "odd", "member:00001:" + new string('z', 1), "member:02999:" + new string('z', 2999 % 30), "other");
        Same("SCARD", "big");
        SameUnordered("SMEMBERS", "big");
        Same("SISMEMBER", "big", "member:01234:" + new string('z', 1234 % 30));
        SameUnordered("SINTER", "big", "odd");
        Same("SINTERCARD", "2", "big", "odd");
        Same("SUNIONSTORE", "u", "big", "odd");
        Same("SDIFFSTORE", "d", "big", "odd");
        SameScan(false, "SSCAN", "big", "COUNT", "200");
        SameScan(false, "SSCAN", "big", "MATCH", "member:02*");
        SameHeader("SPOP", "big", "500");
        Same("SCARD", "big");
    }

    [SkippableFact]
    public void Resp3()
    {
        RequireRedis();
        Setup("HELLO", "3");
        Same("SADD", "s", "a");
        Same("SMEMBERS", "s");
        Same("SMEMBERS", "missing");
        Same("SINTER", "s", "s");
        Same("SUNION", "missing");
        Same("SDIFF", "s", "missing");
        Same("SRANDMEMBER", "s", "2");
        Same("SRANDMEMBER", "missing");
        Same("SPOP", "missing", "2");
        Same("SPOP", "s", "3");
        Same("SMISMEMBER", "s", "a");
    }

    /// <summary>Extreme integers, odd float literals and repeated options, where Redis's parsing has its quirks.</summary>
    [SkippableFact]
    public void EdgeCases() => SameEach(
            "SADD s 1 2 3", "SADD s a", "SMOVE s s 1", "SMOVE s s zz", "SINTERCARD 1 s LIMIT 9223372036854775807", "SINTERCARD 1 s LIMIT 1 LIMIT 2",
            "SADD s a", "SINTERSTORE s s", "SUNIONSTORE d missing", "EXISTS d",
            "SISMEMBER s", "SINTERCARD 2 s");
}
