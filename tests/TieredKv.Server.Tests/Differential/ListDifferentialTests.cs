using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>List commands (blocking ones aside) against real Redis, replies compared byte for byte.</summary>
public sealed class ListDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void PushPopLength()
    {
        Same("LPUSH", "l", "a", "b", "c");
        Same("RPUSH", "l", "d", "e");
        Same("LPUSHX", "l", "z");
        Same("RPUSHX", "l", "y");
        Same("LPUSHX", "missing", "z");
        Same("RPUSHX", "missing", "z");
        Same("EXISTS", "missing");
        Same("LLEN", "l");
        Same("LLEN", "missing");
        Same("LRANGE", "l", "0", "-1");
        Same("LPOP", "l");
        Same("RPOP", "l");
        Same("LPOP", "l", "2");
        Same("RPOP", "l", "2");
        Same("LPOP", "l", "0");
        Same("RPOP", "l", "0");
        Same("LPOP", "l", "-1");
        Same("LPOP", "l", "abc");
        Same("LPOP", "l", "1", "2");
        Same("LPOP", "l", "10");
        Same("EXISTS", "l");
        Same("LPOP", "missing");
        Same("RPOP", "missing");
        Same("LPOP", "missing", "2");
        Same("RPOP", "missing", "0");
        Same("LPUSH", "l");
    }

    [SkippableFact]
    public void IndexRangeSetInsert()
    {
        Same("RPUSH", "l", "a", "b", "c", "b", "a");
        Same("LINDEX", "l", "0");
        Same("LINDEX", "l", "-1");
        Same("LINDEX", "l", "5");
        Same("LINDEX", "l", "x");
        Same("LINDEX", "missing", "0");
        Same("LRANGE", "l", "1", "3");
        Same("LRANGE", "l", "-100", "100");
        Same("LRANGE", "l", "3", "1");
        Same("LRANGE", "l", "a", "1");
        Same("LRANGE", "missing", "0", "-1");
        Same("LSET", "l", "1", "B");
        Same("LSET", "l", "-1", "A");
        Same("LSET", "l", "9", "x");
        Same("LSET", "missing", "0", "x");
        Same("LSET", "l", "x", "x");
        Same("LINSERT", "l", "BEFORE", "c", "c0");
        Same("LINSERT", "l", "after", "c", "c1");
        Same("LINSERT", "l", "AFTER", "nope", "x");
        Same("LINSERT", "missing", "AFTER", "a", "x");
        Same("LINSERT", "l", "MIDDLE", "a", "x");
        Same("LRANGE", "l", "0", "-1");
    }

    [SkippableFact]
    public void RemoveTrimPos()
    {
        Same("RPUSH", "l", "a", "b", "a", "c", "a", "b", "a");
        Same("LPOS", "l", "a");
        Same("LPOS", "l", "b", "RANK", "2");
        Same("LPOS", "l", "a", "RANK", "-1");
        Same("LPOS", "l", "a", "COUNT", "0");
        Same("LPOS", "l", "a", "COUNT", "2", "RANK", "-2");
        Same("LPOS", "l", "a", "COUNT", "0", "MAXLEN", "3");
        Same("LPOS", "l", "z");
        Same("LPOS", "l", "z", "COUNT", "1");
        Same("LPOS", "missing", "a");
        Same("LPOS", "missing", "a", "COUNT", "0");
        Same("LPOS", "l", "a", "RANK", "0");
        Same("LPOS", "l", "a", "RANK", "x");
        Same("LPOS", "l", "a", "COUNT", "-1");
        Same("LPOS", "l", "a", "MAXLEN", "-1");
        Same("LPOS", "l", "a", "BOGUS", "1");
        Same("LPOS", "l", "a", "COUNT");
        Same("LREM", "l", "2", "a");
        Same("LREM", "l", "-1", "a");
        Same("LREM", "l", "0", "b");
        Same("LREM", "l", "0", "zz");
        Same("LREM", "missing", "0", "a");
        Same("LREM", "l", "x", "a");
        Same("LRANGE", "l", "0", "-1");
        Same("RPUSH", "t", "1", "2", "3", "4", "5");
        Same("LTRIM", "t", "1", "-2");
        Same("LRANGE", "t", "0", "-1");
        Same("LTRIM", "t", "5", "1");
        Same("EXISTS", "t");
        Same("LTRIM", "missing", "0", "1");
        Same("LTRIM", "l", "a", "1");
    }

    [SkippableFact]
    public void MoveAndMultiPop()
    {
        Same("RPUSH", "src", "1", "2", "3");
        Same("LMOVE", "src", "dst", "LEFT", "RIGHT");
        Same("LMOVE", "src", "dst", "RIGHT", "LEFT");
        Same("LMOVE", "src", "src", "LEFT", "RIGHT");
        Same("LMOVE", "src", "dst", "UP", "LEFT");
        Same("LMOVE", "missing", "dst", "LEFT", "LEFT");
        Same("RPOPLPUSH", "src", "dst");
        Same("RPOPLPUSH", "src", "dst");
        Same("LRANGE", "dst", "0", "-1");
        Same("EXISTS", "src");
        Same("LMPOP", "2", "missing", "dst", "LEFT");
        Same("LMPOP", "2", "missing", "dst", "RIGHT", "COUNT", "2");
        Same("LMPOP", "1", "dst", "LEFT", "COUNT", "10");
        Same("LMPOP", "1", "dst", "LEFT");
        Same("LMPOP", "0", "dst", "LEFT");
        Same("LMPOP", "x", "dst", "LEFT");
        Same("LMPOP", "3", "a", "b", "LEFT");
        Same("LMPOP", "1", "a", "MIDDLE");
        Same("LMPOP", "1", "a", "LEFT", "COUNT", "0");
        Same("LMPOP", "1", "a", "LEFT", "COUNT");
        Same("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1");
        Same("SET", "s", "v");
        Same("LMOVE", "s", "dst", "LEFT", "LEFT");
        Same("RPUSH", "src", "x");
        Same("LMOVE", "src", "s", "LEFT", "LEFT");
        Same("LMPOP", "2", "s", "src", "LEFT");
        Same("LMPOP", "2", "missing", "src", "LEFT");
    }

    [SkippableFact]
    public void WrongType()
    {
        Setup("SET", "s", "v");
        foreach (var cmd in new[] { "LPUSH s a", "RPUSH s a", "LPUSHX s a", "RPUSHX s a", "LPOP s", "RPOP s 2", "LLEN s", "LINDEX s 0",
                     "LRANGE s 0 -1", "LSET s 0 a", "LINSERT s BEFORE a b", "LREM s 0 a", "LTRIM s 0 1", "LPOS s a", "RPOPLPUSH s d" })
            Same(cmd.Split(' '));
    }

    [SkippableFact]
    public void LargeList_MultiBlock()
    {
        var args = new List<string> { "RPUSH", "big" };
        for (int i = 0; i < 4000; i++) args.Add($"element-{i}-{new string('y', i % 50)}");
        Same([.. args]);
        AwaitOursFlushed();
        Same("LLEN", "big");
        Same("LRANGE", "big", "0", "-1");
        Same("LRANGE", "big", "1990", "2010");
        Same("LINDEX", "big", "3999");
        Same("LINDEX", "big", "-2000");
        Same("LPOS", "big", "element-3000-" + new string('y', 0));
        Same("LSET", "big", "2500", "changed");
        Same("LINSERT", "big", "BEFORE", "changed", "before-changed");
        Same("LREM", "big", "0", "element-10-" + new string('y', 10));
        Same("LPOP", "big", "100");
        Same("RPOP", "big", "100");
        Same("LTRIM", "big", "100", "-100");
        Same("LRANGE", "big", "0", "-1");
    }

    [SkippableFact]
    public void Resp3()
    {
        RequireRedis();
        Setup("HELLO", "3");
        Same("LPOP", "missing");
        Same("LPOP", "missing", "2");
        Same("LINDEX", "missing", "0");
        Same("LPOS", "missing", "a");
        Same("LMPOP", "1", "missing", "LEFT");
        Same("RPUSH", "l", "a", "b");
        Same("LMPOP", "1", "l", "LEFT");
        Same("LRANGE", "l", "0", "-1");
        Same("RPOPLPUSH", "missing", "l");
    }

    /// <summary>Extreme integers, odd float literals and repeated options, where Redis's parsing has its quirks.</summary>
    [SkippableFact]
    public void EdgeCases() => SameEach(
            "RPUSH l a", "LINDEX l 9223372036854775807", "LINDEX l -9223372036854775808", "LRANGE l -9223372036854775808 9223372036854775807",
            "LPOS l a RANK -9223372036854775808", "LPOS l a RANK 9223372036854775807", "LPOS l a COUNT 9223372036854775807", "LPOS l a MAXLEN 1 MAXLEN 2",
            "LMOVE l l LEFT LEFT", "LRANGE l 0 -1", "LREM l -9223372036854775808 a", "LTRIM l 0 -9223372036854775808", "EXISTS l",
            "RPUSH l a b", "LSET l -3 x", "LINSERT l before a a", "LPOP l 9223372036854775807", "RPUSH l x", "RPOPLPUSH l l", "LMPOP 9223372036854775807 l LEFT",
            "LMPOP 1 l LEFT COUNT 9223372036854775807", "LMPOP -1 l LEFT", "LMPOP 1 l", "RPUSH n 1 2 3", "LPOS n 2", "LINSERT n AFTER 3 4", "LRANGE n 0 -1");
}
