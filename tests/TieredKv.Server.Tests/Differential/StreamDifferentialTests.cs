using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Stream entry commands (XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID) against real Redis, with explicit IDs.</summary>
public sealed class StreamDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private void AddMany(string key, int count, long firstMs = 1)
    {
        for (int i = 0; i < count; i++) Same("XADD", key, $"{firstMs + i}-0", "f", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public void XAdd_ExplicitIds_AndTheirErrors()
    {
        SameEach(
            "XADD s 1-1 a 1 b 2",
            "XADD s 1-1 a 1",
            "XADD s 1-0 a 1",
            "XADD s 1-* c 3",
            "XADD s 2-* c 3",
            "XADD s 5 d 4",
            "XADD s 0-0 a 1",
            "XADD new 0-* a 1",
            "XADD new2 0-0 a 1",
            "XADD s 3-1 a",
            "XADD s 7-1",
            "XADD s 7-x a 1",
            "XADD s -1 a 1",
            "XADD s 18446744073709551616-0 a 1",
            "XADD s +7-1 a 1",
            "XADD s + a 1",
            "XADD s - a 1",
            "XADD s 18446744073709551615-18446744073709551615 a 1",
            "XADD s 9-1 a 1",
            "XADD s * a 1",
            "XADD s 18446744073709551615-* a 1",
            "XLEN s",
            "XRANGE s - +",
            "EXISTS new2");
    }

    [SkippableFact]
    public void XAdd_AutoId_FollowsALastIdAheadOfTheClock()
    {
        SameEach("XADD s 99999999999999-5 a 1", "XADD s * b 2", "XADD s 99999999999999-* c 3", "XRANGE s - +");
        SameEach("XADD t 18446744073709551615-18446744073709551614 a 1", "XADD t * a 1", "XADD t 18446744073709551615-* a 1");
    }

    [SkippableFact]
    public void XAdd_NoMkStream_LeavesAMissingKeyMissing()
    {
        SameEach("XADD s NOMKSTREAM 1-1 a 1", "EXISTS s", "XADD s 1-1 a 1", "XADD s NOMKSTREAM 2-1 a 1", "XLEN s", "XADD s nomkstream", "XADD s NOMKSTREAM MAXLEN 1 3-1 a 1", "XRANGE s - +");
    }

    [SkippableFact]
    public void XAdd_WrongTypeAndArity()
    {
        SameEach("SET str x", "XADD str 1-1 a 1", "XADD str NOMKSTREAM 1-1 a 1", "XLEN str", "XRANGE str - +", "XDEL str 1-1", "XTRIM str MAXLEN 1", "XSETID str 1-1",
            "XADD s 1-1", "XADD s", "XADD s MAXLEN", "XADD s MAXLEN 1", "XADD s MAXLEN 1 * a", "XLEN", "XLEN a b");
    }

    [SkippableFact]
    public void XRange_BoundsCountsAndExclusiveIntervals()
    {
        SameEach("XADD s 1-0 a 1", "XADD s 1-1 a 2", "XADD s 2-0 a 3", "XADD s 3-5 a 4", "XADD s 3-18446744073709551615 a 5", "XADD s 4-0 a 6 b 7");
        SameEach(
            "XRANGE s - +", "XRANGE s 1 3", "XRANGE s 1-1 3-5", "XRANGE s (1-0 (4-0", "XRANGE s (1 (4", "XRANGE s (3-5 +",
            "XRANGE s - + COUNT 2", "XRANGE s - + COUNT 0", "XRANGE s - + COUNT -3", "XRANGE s - + count 1 COUNT 3", "XRANGE s - + COUNT",
            "XRANGE s - + COUNT x", "XRANGE s - + LIMIT 1", "XRANGE s 5 1", "XRANGE s ( +", "XRANGE s (- +", "XRANGE s - (+",
            "XRANGE s (18446744073709551615-18446744073709551615 +", "XRANGE s - (0-0", "XRANGE s (0-0 (1-1", "XRANGE s x +", "XRANGE s - y",
            "XRANGE missing - +", "XRANGE missing - + COUNT 0", "XRANGE s", "XRANGE s -",
            "XREVRANGE s + -", "XREVRANGE s + - COUNT 2", "XREVRANGE s (4 (1-0", "XREVRANGE s 3 2", "XREVRANGE s - +", "XREVRANGE s + - COUNT 0",
            "XREVRANGE missing + -", "XREVRANGE s (0-0 -", "XLEN s", "XLEN missing");
    }

    [SkippableFact]
    public void XDel_RemovesEntries_AndKeepsTheEmptyStream()
    {
        SameEach("XADD s 1-0 a 1", "XADD s 2-0 a 2", "XADD s 3-0 a 3");
        SameEach("XDEL s 2-0 2-0 9-9", "XRANGE s - +", "XLEN s", "XDEL s 1 x", "XDEL s +", "XDEL missing 1-0", "XDEL s 1-0 3-0", "XLEN s", "EXISTS s", "TYPE s",
            "XRANGE s - +", "XADD s 2-0 a 1", "XADD s 3-1 a 1", "XRANGE s - +");
    }

    [SkippableFact]
    public void XTrim_Exact_ByLengthAndMinId()
    {
        AddMany("s", 10);
        SameEach("XTRIM s MAXLEN 7", "XLEN s", "XRANGE s - + COUNT 1", "XTRIM s MAXLEN = 7", "XTRIM s MINID 6", "XRANGE s - +", "XTRIM s MINID = 5-1",
            "XTRIM s MAXLEN 0", "XLEN s", "EXISTS s", "XTRIM missing MAXLEN 0");
    }

    [SkippableFact]
    public void XTrim_ArgumentErrors()
    {
        AddMany("s", 3);
        SameEach("XTRIM s", "XTRIM s foo", "XTRIM s MAXLEN", "XTRIM s MAXLEN -1", "XTRIM s MAXLEN x", "XTRIM s MAXLEN 1 MINID 1",
            "XTRIM s MINID 1 MAXLEN 1", "XTRIM s MINID +", "XTRIM s MINID x", "XTRIM s LIMIT 1", "XTRIM s LIMIT 0", "XTRIM s MAXLEN 1 LIMIT 1",
            "XTRIM s MAXLEN ~ 1 LIMIT -1", "XTRIM s MAXLEN ~ 1 LIMIT x", "XTRIM s MAXLEN ~", "XTRIM s MAXLEN = ", "XTRIM s MAXLEN 1 NOMKSTREAM",
            "XADD s LIMIT 5 * a 1", "XADD s MAXLEN 1 LIMIT 5 * a 1", "XADD s MINID ~ + * a 1", "XLEN s");
    }

    [SkippableFact]
    public void XTrim_Approximate_RemovesWholeNodesOnly()
    {
        AddMany("s", 250);
        SameEach("XTRIM s MAXLEN ~ 200", "XLEN s", "XTRIM s MAXLEN ~ 140", "XLEN s", "XRANGE s - + COUNT 1", "XTRIM s MINID ~ 180", "XLEN s",
            "XTRIM s MINID ~ 230", "XLEN s", "XRANGE s - + COUNT 1");
        AddMany("t", 350, 1000);
        SameEach("XTRIM t MAXLEN ~ 0 LIMIT 150", "XLEN t", "XTRIM t MAXLEN ~ 0 LIMIT 100", "XLEN t", "XTRIM t MAXLEN ~ 10 LIMIT 0", "XLEN t", "XRANGE t - +");
    }

    [SkippableFact]
    public void XTrim_Approximate_AfterDeletesAndPartialTrims()
    {
        AddMany("s", 260);
        SameEach("XDEL s 1-0 2-0 50-0 101-0 150-0", "XTRIM s MAXLEN 240", "XLEN s", "XTRIM s MAXLEN ~ 150", "XLEN s", "XRANGE s - + COUNT 2",
            "XTRIM s MAXLEN ~ 50", "XLEN s", "XRANGE s - + COUNT 2");
        for (int i = 201; i <= 260; i++) Same("XDEL", "s", $"{i}-0");
        SameEach("XLEN s", "XADD s 300-0 f x", "XADD s 301-0 f x", "XTRIM s MAXLEN ~ 1", "XLEN s", "XRANGE s - +");
    }

    [SkippableFact]
    public void XAdd_WithTrimming()
    {
        AddMany("s", 5);
        SameEach("XADD s MAXLEN 3 6-0 f x", "XRANGE s - +", "XADD s MAXLEN = 0 7-0 f x", "XLEN s", "XRANGE s - +", "XADD s MINID 9 8-0 f x", "XLEN s",
            "XADD s MINID 9 9-0 f x", "XRANGE s - +", "XADD s MAXLEN ~ 0 10-0 f x", "XLEN s", "XADD s NOMKSTREAM MAXLEN 1 11-0 f x", "XRANGE s - +");
        AddMany("big", 150, 100);
        SameEach("XADD big MAXLEN ~ 60 LIMIT 200 1000-0 f x", "XLEN big", "XADD big MAXLEN ~ 10 LIMIT 10 1001-0 f x", "XLEN big");
    }

    [SkippableFact]
    public void XSetId_MovesTheLastIdWithItsChecks()
    {
        SameEach("XSETID missing 1-1", "XADD s 5-0 a 1", "XADD s 6-0 a 1", "XSETID s 5-9", "XSETID s 6-0", "XADD s 6-0 a 1", "XSETID s 10-0", "XADD s 6-1 a 1",
            "XADD s 10-* a 1", "XSETID s 20 ENTRIESADDED 1", "XSETID s 20 ENTRIESADDED -1", "XSETID s 20 ENTRIESADDED x", "XSETID s 20 MAXDELETEDID 30",
            "XSETID s 20 MAXDELETEDID 15 ENTRIESADDED 100", "XSETID s 20 FOO 1", "XSETID s 20 MAXDELETEDID", "XSETID s +", "XSETID s x", "XSETID s",
            "XADD s * a 1", "XDEL s 5-0 6-0 10-1 20-1", "XSETID s 1-1", "XADD s 2-0 a 1", "XLEN s");
    }

    [SkippableFact]
    public void Stream_KeyCommands_TypeEncodingRenameCopyMoveScan()
    {
        SameEach("XADD s 1-0 a 1", "XADD s 2-0 b 2", "TYPE s", "OBJECT ENCODING s", "SCAN 0 TYPE stream", "SCAN 0 TYPE string",
            "RENAME s t", "XRANGE t - +", "COPY t u", "XADD u 3-0 c 3", "XRANGE t - +", "XRANGE u - +", "MOVE u 1", "EXISTS u",
            "SELECT 1", "XRANGE u - +", "XADD u 4-0 d 4", "XLEN u", "SELECT 0", "DEL t", "EXISTS t", "XADD t 1-0 a 1", "XRANGE t - +",
            "EXPIRE t 100", "TTL t", "XADD t 2-0 a 1", "TTL t");
    }

    [SkippableFact]
    public void Stream_ReadsBackAfterAFlush()
    {
        AddMany("s", 120);
        SameEach("XDEL s 5-0", "XTRIM s MAXLEN 110");
        AwaitOursFlushed();
        SameEach("XLEN s", "XRANGE s - + COUNT 3", "XREVRANGE s + - COUNT 3", "XTRIM s MAXLEN ~ 5", "XLEN s", "XADD s 500-0 f x", "XRANGE s 118 +");
    }

    [SkippableFact]
    public void Watch_IsBrokenByEntryChanges_NotByGroupBookkeeping()
    {
        SameEach("XADD s 1-0 a 1", "XADD s 2-0 a 1", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >");
        foreach (var change in new[] { "XSETID s 5-0", "XACK s g 1-0", "XCLAIM s g d 0 2-0", "XAUTOCLAIM s g e 0 0", "XGROUP CREATECONSUMER s g f", "XREADGROUP GROUP g c STREAMS s 0",
                     "XADD s 9-0 a 1", "XDEL s 9-0", "XTRIM s MAXLEN 1", "XDEL s 7-0", "XTRIM s MAXLEN 5" })
            SameEach("WATCH s", change, "MULTI", "PING", "EXEC");
    }

    [SkippableFact]
    public void OtherTypesCommands_RefuseAStream()
    {
        SameEach("XADD s 1-0 a 1", "GET s", "LPUSH s a", "SADD s a", "HGET s a", "ZADD s 1 a", "APPEND s x", "PFADD s a", "SORT s", "SORT_RO s", "LLEN s",
            "SCARD s", "HLEN s", "ZCARD s", "GETRANGE s 0 1", "STRLEN s", "SETRANGE s 0 x", "INCR s", "BITCOUNT s", "PFCOUNT s", "GEOADD s 0 0 m",
            "LMPOP 1 s LEFT", "BLPOP s 0.01", "SINTER s", "ZUNIONSTORE d 1 s", "XLEN s", "SET s x", "TYPE s", "XLEN s");
    }

    [SkippableFact]
    public void XTrim_Approximate_FollowsNodesFilledByBytes()
    {
        var rng = new Random(3);
        for (int i = 1; i <= 120; i++)
        {
            string value = new('v', rng.Next(1, 400));
            string number = rng.Next(-100000, 100000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (i % 7 == 0) Same("XADD", "s", $"{i * 1000}-{i}", "f", value, "other", number);
            else Same("XADD", "s", $"{i * 1000}-{i}", "f", value, "n", number);
        }
        for (int keep = 110; keep >= 0; keep -= 9) SameEach($"XTRIM s MAXLEN ~ {keep}", "XLEN s");
        SameEach("XTRIM s MINID ~ 119000", "XLEN s");
    }

    private static string Stat(RawClient client, string name) =>
        System.Text.Encoding.UTF8.GetString(client.Call("INFO", "stats")).Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));

    [SkippableFact]
    public void KeyspaceHitsAndMisses_CountLookupsAsRedisDoes()
    {
        SameEach("XADD s 1-0 a 1", "XGROUP CREATE s g 0", "CONFIG RESETSTAT");
        foreach (var line in new[]
                 {
                     "XRANGE s - +", "XRANGE missing - +", "XREVRANGE s + - COUNT 0", "XLEN s", "XLEN missing", "XREAD STREAMS s missing 0 0",
                     "XREAD STREAMS s missing $ $", "XREADGROUP GROUP g c STREAMS s >", "XREADGROUP GROUP g c STREAMS s 0", "XPENDING s g", "XPENDING s g - + 5",
                     "XACK s g 1-0", "XACK missing g 1-0", "XCLAIM s g d 0 1-0", "XAUTOCLAIM s g d 0 0", "XINFO STREAM s", "XINFO STREAM missing",
                     "XINFO STREAM s FULL", "XINFO STREAM s FOO", "XINFO GROUPS s", "XINFO CONSUMERS s g", "XADD s 2-0 a 1", "XDEL s 2-0", "XTRIM s MAXLEN 5",
                     "XSETID s 9-0", "XGROUP CREATECONSUMER s g e",
                 })
        {
            Setup(line.Split(' ')); // replies are compared elsewhere; some hold idle times
            var (redis, ours) = Clients;
            Assert.True(Stat(redis, "keyspace_hits") == Stat(ours, "keyspace_hits") && Stat(redis, "keyspace_misses") == Stat(ours, "keyspace_misses"),
                $"after {line}: redis {Stat(redis, "keyspace_hits")} {Stat(redis, "keyspace_misses")}, ours {Stat(ours, "keyspace_hits")} {Stat(ours, "keyspace_misses")}");
        }
    }
}
