using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// Keyspace notifications against real Redis and TieredKv: the same flags on both, a PSUBSCRIBE
/// __key*__:* subscriber on each, the same writes, and the received message streams compared byte
/// for byte; plus CONFIG SET/GET of notify-keyspace-events.
/// </summary>
public sealed class NotificationDifferentialTests : DifferentialTest
{
    private const string Sentinel = "__keysentinel__:end";

    private readonly DifferentialFixture _fixture;

    public NotificationDifferentialTests(DifferentialFixture fixture) : base(fixture) => _fixture = fixture;

    /// <summary>A PSUBSCRIBE __key*__:* connection to each server, its confirmation read.</summary>
    private (RawClient Redis, RawClient Ours) Subscribers()
    {
        var pair = (Redis: new RawClient(_fixture.Redis.Port), Ours: new RawClient(_fixture.Ours.Port));
        pair.Redis.Call("PSUBSCRIBE", "__key*__:*");
        pair.Ours.Call("PSUBSCRIBE", "__key*__:*");
        return pair;
    }

    /// <summary>Publishes a sentinel and reads every message up to it on one subscriber.</summary>
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

    /// <summary>Enables the flags on both servers, runs the commands and compares what the subscribers received.</summary>
    private void SameEvents(string flags, params string[] lines)
    {
        RequireRedis();
        Same("CONFIG", "SET", "notify-keyspace-events", flags);
        var (redis, ours) = Subscribers();
        using var _1 = redis;
        using var _2 = ours;
        foreach (var line in lines)
        {
            // "SLEEPMS n" is the test's own step: it lets time pass on both servers.
            if (line.StartsWith("SLEEPMS ", StringComparison.Ordinal)) Thread.Sleep(int.Parse(line[8..], System.Globalization.CultureInfo.InvariantCulture));
            else Same(line.Split(' '));
        }
        var expected = Drain(redis, _fixture.Redis.Port);
        var actual = Drain(ours, _fixture.Ours.Port);
        int first = 0;
        while (first < expected.Count && first < actual.Count && expected[first] == actual[first]) first++;
        Assert.True(expected.SequenceEqual(actual),
            $"flags {flags}, message {first} of {expected.Count} (redis) / {actual.Count} (tieredkv) differs\n  redis:    {Around(expected, first)}\n  tieredkv: {Around(actual, first)}");
        Assert.NotEmpty(expected);
    }

    /// <summary>A few messages from a position, shortened to their channel and payload.</summary>
    private static string Around(List<string> messages, int from) =>
        string.Join(" | ", messages.Skip(Math.Max(0, from - 1)).Take(5).Select(m => m.Replace("*4\\r\\n$8\\r\\npmessage\\r\\n$10\\r\\n__key*__:*\\r\\n", "", StringComparison.Ordinal)));

    [SkippableFact]
    public void Notification_ConfigSetGetAndError()
    {
        RequireRedis();
        foreach (var flags in new[] { "KEA", "AKE", "Kg", "E$", "nm$gKxE", "g", "KElshzxetd", "Ag$lshzxetd", "" })
        {
            Same("CONFIG", "SET", "notify-keyspace-events", flags);
            Same("CONFIG", "GET", "notify-keyspace-events");
        }
        Same("CONFIG", "SET", "notify-keyspace-events", "KEQ");
        Same("CONFIG", "SET", "notify-keyspace-events", "a");
        Same("CONFIG", "GET", "notify-keyspace-events");
    }

    [SkippableFact]
    public void Notification_StringsAndGeneric()
    {
        SameEvents("KEA",
            "SET s1 v", "SET s1 v EX 1000", "SET s1 v NX", "SET s1 w XX KEEPTTL", "SET missing v XX", "SET s2 v GET",
            "SETNX s1 x", "SETNX s3 x", "SETEX s4 1000 v", "PSETEX s5 1000000 v", "MSET m1 a m2 b", "MSETNX m1 a m9 b", "MSETNX n1 a n2 b",
            "GETSET s1 z", "APPEND s1 more", "SETRANGE s1 2 xy", "INCR c", "DECR c", "INCRBY c 5", "DECRBY c 2", "INCRBYFLOAT c 1.5",
            "GETDEL s3", "GETDEL s3", "DEL s1", "DEL s1", "DEL m1 nothere m2", "UNLINK s2 s4",
            "SET e 1", "EXPIRE e 1000", "PERSIST e", "PERSIST e", "PEXPIRE e 5000000", "EXPIRE nothere 10", "EXPIRE e -1",
            "SET r1 v", "RENAME r1 r2", "RENAMENX r2 n1", "RENAMENX r2 r3", "COPY r3 r4", "COPY r3 r4", "MOVE r4 3", "MOVE r3 3");
    }

    [SkippableFact]
    public void Notification_Collections()
    {
        SameEvents("KEA",
            "LPUSH l a b c", "RPUSH l d", "LPUSHX nol a", "RPUSHX l e", "LINSERT l BEFORE a x", "LINSERT l BEFORE nope x",
            "LSET l 0 y", "LREM l 0 nope", "LREM l 1 y", "LPOP l", "RPOP l 2", "LPOP nol", "LTRIM l 0 0", "LTRIM nol 0 1",
            "RPUSH l2 1 2", "RPOPLPUSH l2 l3", "LMOVE l2 l3 LEFT RIGHT", "LMOVE l2 l3 LEFT RIGHT", "LPOP l", "LPOP l3 5",
            "HSET h f v g w", "HSET h f v2", "HMSET h a 1", "HSETNX h f x", "HSETNX h n x", "HINCRBY h a 2", "HINCRBYFLOAT h a 0.5",
            "HDEL h nope", "HDEL h f g", "HDEL h a n",
            "SADD s a b c", "SADD s a", "SREM s nope", "SREM s a", "SMOVE s t b", "SMOVE s t nope", "SMOVE s t c",
            "SADD u 1 2", "SINTERSTORE d1 u t", "SUNIONSTORE d2 u t", "SDIFFSTORE d3 u u",
            "ZADD z 1 a 2 b 3 c", "ZADD z 1 a", "ZADD z INCR 5 a", "ZADD z NX INCR 5 a", "ZINCRBY z 1 b", "ZREM z nope", "ZREM z a",
            "ZREMRANGEBYSCORE z 100 200", "ZREMRANGEBYRANK z 0 0", "ZADD zl 0 x 0 y", "ZREMRANGEBYLEX zl [x [x", "ZREMRANGEBYLEX zl - +", "ZPOPMIN z", "ZPOPMAX z 5", "ZPOPMIN z",
            "ZADD za 1 a", "ZUNIONSTORE zu 1 za", "ZINTERSTORE zi 2 za zu");
    }

    [SkippableFact]
    public void Notification_BitmapsHyperLogLogAndGeo()
    {
        SameEvents("KEA",
            "SETBIT b 7 1", "SETBIT b 7 0", "BITFIELD bf SET u8 0 255", "BITFIELD bf GET u8 0", "BITFIELD_RO bf GET u8 0",
            "BITOP OR dest b bf", "BITOP AND dest nosuch1 nosuch2",
            "PFADD h a b c", "PFADD h a", "PFCOUNT h", "PFMERGE h2 h", "PFMERGE h2",
            "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania", "GEOADD g 13.361389 38.115556 Palermo",
            "GEOSEARCHSTORE gs g FROMLONLAT 15 37 BYRADIUS 200 km ASC", "GEORADIUS g 15 37 200 km STORE gr",
            "GEOSEARCHSTORE gs g FROMLONLAT 0 0 BYRADIUS 1 km");
    }

    [SkippableFact]
    public void Notification_ClassFiltersAndChannels()
    {
        SameEvents("Kl", "SET a 1", "LPUSH l a", "DEL l", "SADD s x");
        SameEvents("E$g", "SET a 1", "LPUSH l a", "DEL l", "SADD s x", "INCR a");
        SameEvents("Ksh", "SADD s y", "HSET h f v", "SET q 1", "SELECT 2", "SADD s y", "SELECT 0");
    }
    [SkippableFact]
    public void Notification_KeyExpiredByTheActiveCycle()
    {
        // No command touches the keys: each server's background expiry must find and report them
        // (400 ms apart, because the order within one cycle is unspecified).
        SameEvents("KEx", "SET gone1 v PX 20", "HSET gone2 f v", "PEXPIRE gone2 400", "SET stays v", "SLEEPMS 900");
    }

    [SkippableFact]
    public void Notification_KeyExpiredOnAccess()
    {
        SameEvents("Egx", "SET lazy v PX 1", "SLEEPMS 20", "GET lazy", "EXISTS lazy", "DEL lazy");
    }

    [SkippableFact]
    public void Notification_SmoveFiresSremSaddAndDelInOrder()
    {
        // srem on the source, del when that emptied it, sadd on the destination (none when the member is there already).
        SameEvents("KEAn", "SADD s a b", "SADD d a", "SMOVE s d a", "SMOVE s d b", "SADD s c", "SMOVE s fresh c", "SMOVE s d zz", "SADD d q", "SMOVE d d q");
    }

    [SkippableFact]
    public void Notification_SetbitThatChangesNothingFiresNothing()
    {
        SameEvents("KEA", "SETBIT b 3 1", "SETBIT b 3 1", "SETBIT b 3 0", "SETBIT b 3 0", "BITFIELD b SET u8 0 0", "BITFIELD b INCRBY u8 0 0", "BITFIELD b SET u8 0 7");
    }

    [SkippableFact]
    public void Notification_SortStoreFiresSortstoreAndDelForAnEmptyResult()
    {
        SameEvents("KEAn", "RPUSH l 2 1", "SORT l STORE d", "SORT l STORE d", "SORT missing STORE d", "SORT missing STORE d", "SORT l");
    }
}
