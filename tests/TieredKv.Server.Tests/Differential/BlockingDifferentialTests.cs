using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>The blocking commands where they do not block (data present, errors), against real Redis byte for byte.</summary>
public sealed class BlockingDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void ListsWithDataPresent()
    {
        Same("RPUSH", "l", "a", "b", "c", "d", "e");
        Same("BLPOP", "missing", "l", "0");
        Same("BRPOP", "l", "missing", "0.5");
        Same("BRPOPLPUSH", "l", "d", "0");
        Same("BLMOVE", "l", "d", "LEFT", "LEFT", "0");
        Same("BLMPOP", "0", "2", "missing", "l", "LEFT", "COUNT", "5");
        Same("LRANGE", "d", "0", "-1");
        Same("EXISTS", "l");
    }

    [SkippableFact]
    public void SortedSetsWithDataPresent()
    {
        Same("ZADD", "z", "1", "a", "2", "b", "3.5", "c", "4", "d");
        Same("BZPOPMIN", "missing", "z", "0");
        Same("BZPOPMAX", "z", "0");
        Same("BZMPOP", "0", "1", "z", "MIN", "COUNT", "2");
        Same("EXISTS", "z");
    }

    [SkippableFact]
    public void Errors()
    {
        Same("SET", "s", "v");
        Same("BLPOP", "s", "0");
        Same("BRPOP", "missing", "s", "0");
        Same("BZPOPMIN", "s", "0");
        Same("BLMOVE", "s", "d", "LEFT", "LEFT", "0");
        Same("BLPOP", "l", "abc");
        Same("BLPOP", "l", "-1");
        Same("BLPOP", "l", "1e400");
        Same("BLPOP", "l", "inf");
        Same("BLPOP", "l", " 1");
        Same("BZPOPMAX", "z", "-0.5");
        Same("BLMOVE", "l", "d", "UP", "LEFT", "0");
        Same("BLMOVE", "l", "d", "LEFT", "LEFT", "x");
        Same("BLMPOP", "0", "0", "l", "LEFT");
        Same("BLMPOP", "x", "1", "l", "LEFT");
        Same("BLMPOP", "0", "1", "l", "MIDDLE");
        Same("BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0");
        Same("BZMPOP", "0", "1", "z", "LEFT");
        Same("BZMPOP", "0", "2", "z");
        Same("BLPOP", "l");
        Same("BLMOVE", "a", "b", "LEFT", "LEFT");
    }

    [SkippableFact]
    public void InsideMulti()
    {
        Same("MULTI");
        Same("BLPOP", "l", "0");
        Same("BRPOPLPUSH", "l", "d", "0");
        Same("BLMOVE", "l", "d", "LEFT", "LEFT", "0");
        Same("BLMPOP", "0", "1", "l", "LEFT");
        Same("BZPOPMIN", "z", "0");
        Same("BZMPOP", "0", "1", "z", "MAX");
        Same("EXEC");
    }
}
