using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>SWAPDB against real Redis: contents, errors, WATCH and blocked clients.</summary>
public sealed class SwapDbDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void Swap_ExchangesTheContentsOfTwoDatabases()
    {
        Same("SET", "a", "zero");
        Same("SADD", "s", "x");
        Same("SELECT", "1");
        Same("SET", "a", "one");
        Same("RPUSH", "l", "q");
        Same("SWAPDB", "0", "1");
        Same("GET", "a");
        Same("SMEMBERS", "s");
        Same("EXISTS", "l");
        Same("DBSIZE");
        Same("SELECT", "0");
        Same("GET", "a");
        Same("LRANGE", "l", "0", "-1");
        Same("DBSIZE");
    }

    [SkippableFact]
    public void Swap_TwiceRestoresAndSameIndexIsANoOp()
    {
        Same("SET", "a", "zero");
        Same("SWAPDB", "0", "5");
        Same("SWAPDB", "5", "0");
        Same("GET", "a");
        Same("SWAPDB", "3", "3");
        Same("GET", "a");
    }

    [SkippableFact]
    public void Swap_KeepsExpiries()
    {
        Same("SET", "a", "v", "EX", "100");
        Same("SWAPDB", "0", "2");
        Same("SELECT", "2");
        Same("TTL", "a");
        Same("PERSIST", "a");
    }

    [SkippableFact]
    public void Swap_ErrorsAsRedis()
    {
        Same("SWAPDB", "0", "16");
        Same("SWAPDB", "-1", "0");
        Same("SWAPDB", "x", "0");
        Same("SWAPDB", "0", "x");
        Same("SWAPDB", "1.5", "0");
        Same("SWAPDB", "99999999999", "0");
        Same("SWAPDB", "0");
    }

    [SkippableFact]
    public void Swap_DirtiesAWatchedKeyThatExistsOnEitherSide()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SELECT", "1");
        Same("SET", "w", "in-one");
        Same("SELECT", "0");
        Same("WATCH", "w");
        SameOn(other, "SWAPDB", "0", "1");
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
    }

    [SkippableFact]
    public void Swap_LeavesAWatchedKeyMissingOnBothSidesClean()
    {
        RequireRedis();
        using var other = NewConnections();
        Same("SELECT", "1");
        Same("SET", "unrelated", "x");
        Same("SELECT", "0");
        Same("WATCH", "w");
        SameOn(other, "SWAPDB", "0", "1");
        Same("MULTI");
        Same("GET", "w");
        Same("EXEC");
    }

    [SkippableFact]
    public void Swap_WakesAClientBlockedOnAKeyTheSwapBrings()
    {
        RequireRedis();
        using var other = NewConnections();
        SameOn(other, "SELECT", "1");
        SameOn(other, "RPUSH", "queue", "job");
        var (redis, ours) = Clients;
        var request = RawClient.Encode([.. new[] { "BLPOP", "queue", "5" }.Select(Encoding.UTF8.GetBytes)]);
        redis.SendRaw(request);
        ours.SendRaw(request);
        Thread.Sleep(200); // both clients are blocked before the swap
        SameOn(other, "SWAPDB", "0", "1");
        string e = Show(redis.ReadReply()), a = Show(ours.ReadReply());
        Assert.True(e == a, $"BLPOP after SWAPDB\n  redis:    {e}\n  tieredkv: {a}");
        Same("EXISTS", "queue");
    }

    [SkippableFact]
    public void Swap_InsideMultiRunsAtExec()
    {
        Same("SET", "a", "zero");
        Same("MULTI");
        Same("SWAPDB", "0", "1");
        Same("GET", "a");
        Same("SWAPDB", "0", "99");
        Same("EXEC");
        Same("GET", "a");
        Same("SELECT", "1");
        Same("GET", "a");
    }

    [SkippableFact]
    public void Swap_ThenFlushdbEmptiesOnlyTheSelectedNumber()
    {
        Same("SET", "a", "zero");
        Same("SELECT", "1");
        Same("SET", "b", "one");
        Same("SWAPDB", "0", "1");
        Same("FLUSHDB");
        Same("DBSIZE");
        Same("SELECT", "0");
        Same("GET", "b");
        Same("DBSIZE");
    }
}
