using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>
/// Hash field expiry commands (Redis 7.4 and 8.0): replies and errors as Redis documents and its
/// tests expect them, expiry as real time passes, and keyspace notifications. redis-server 7.0 has
/// none of these commands, so nothing here is differential.
/// </summary>
public sealed class HashFieldExpiryTests : IDisposable
{
    private readonly TieredKvServer _server = new();
    private readonly RawClient _client;

    public HashFieldExpiryTests() => _client = new RawClient(_server.Port);

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private string Call(params string[] args) => Encoding.UTF8.GetString(_client.Call(args));

    private static string Ints(params long[] values) => $"*{values.Length}\r\n" + string.Concat(values.Select(v => $":{v}\r\n"));

    private static string Bulks(params string?[] values) =>
        $"*{values.Length}\r\n" + string.Concat(values.Select(v => v == null ? "$-1\r\n" : $"${v.Length}\r\n{v}\r\n"));

    /// <summary>HTTL's reply as numbers.</summary>
    private long[] Ttls(string key, params string[] fields) =>
        [.. Call(["HTTL", key, "FIELDS", fields.Length.ToString(), .. fields]).Split("\r\n").Skip(1).Where(l => l.StartsWith(':')).Select(l => long.Parse(l[1..]))];

    /// <summary>A TTL just set to 100 seconds, allowing for a slow machine.</summary>
    private static void AboutHundredSeconds(long ttl) => Assert.InRange(ttl, 90, 100);

    private static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Polls until <paramref name="condition"/> holds, failing after 10 seconds.</summary>
    private static void Eventually(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    // ------------------------------------------------------------ HEXPIRE family

    [Fact]
    public void HExpire_RepliesPerField()
    {
        Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(Ints(1, 1, -2), Call("HEXPIRE", "h", "100", "FIELDS", "3", "a", "b", "c"));
        Assert.Equal(Ints(-2, -2), Call("HEXPIRE", "missing", "100", "FIELDS", "2", "a", "b"));
    }

    [Fact]
    public void HExpire_Conditions()
    {
        Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(Ints(0, 0), Call("HEXPIRE", "h", "100", "XX", "FIELDS", "2", "a", "b"));
        Assert.Equal(Ints(0), Call("HEXPIRE", "h", "100", "GT", "FIELDS", "1", "a"));
        Assert.Equal(Ints(1), Call("HEXPIRE", "h", "100", "NX", "FIELDS", "1", "a"));
        Assert.Equal(Ints(0, 1), Call("HEXPIRE", "h", "200", "nx", "FIELDS", "2", "a", "b"));
        Assert.Equal(Ints(1), Call("HEXPIRE", "h", "300", "GT", "FIELDS", "1", "a"));
        Assert.Equal(Ints(0), Call("HEXPIRE", "h", "400", "LT", "FIELDS", "1", "a"));
        Assert.Equal(Ints(1), Call("HEXPIRE", "h", "50", "LT", "FIELDS", "1", "a"));
    }

    [Fact]
    public void HExpire_TimeInThePast_DeletesFieldsAndTheEmptiedKey()
    {
        Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(Ints(2), Call("HPEXPIRE", "h", "0", "FIELDS", "1", "a"));
        Assert.Equal(":1\r\n", Call("HLEN", "h"));
        Assert.Equal(Ints(2), Call("HEXPIREAT", "h", "1", "FIELDS", "1", "b"));
        Assert.Equal(":0\r\n", Call("EXISTS", "h"));
    }

    [Fact]
    public void HExpire_ArgumentErrors()
    {
        Call("HSET", "h", "a", "1");
        Assert.Equal("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n", Call("HEXPIRE", "h", "100", "NX", "1", "a"));
        Assert.Equal("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n", Call("HEXPIRE", "h", "100", "XFIELDS", "1", "a"));
        Assert.Equal("-ERR Parameter `numFields` should be greater than 0\r\n", Call("HEXPIRE", "h", "100", "FIELDS", "0", "a"));
        Assert.Equal("-ERR Parameter `numFields` should be greater than 0\r\n", Call("HEXPIRE", "h", "100", "FIELDS", "x", "a"));
        Assert.Equal("-ERR The `numfields` parameter must match the number of arguments\r\n", Call("HEXPIRE", "h", "100", "FIELDS", "2", "a"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Call("HEXPIRE", "h", "soon", "FIELDS", "1", "a"));
        Assert.Equal("-ERR invalid expire time, must be >= 0\r\n", Call("HPEXPIRE", "h", "-1", "FIELDS", "1", "a"));
        Assert.Equal("-ERR invalid expire time in 'hexpireat' command\r\n", Call("HEXPIREAT", "h", (1L << 46).ToString(), "FIELDS", "1", "a"));
        Assert.Equal("-ERR invalid expire time in 'hpexpire' command\r\n", Call("HPEXPIRE", "h", ((1L << 46) - 100).ToString(), "FIELDS", "1", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'hexpire' command\r\n", Call("HEXPIRE", "h", "100", "FIELDS", "1"));
    }

    [Fact]
    public void FieldExpiryCommands_OnAnotherType_AreWrongTypeBeforeArgumentErrors()
    {
        Call("SET", "s", "x");
        const string WrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        Assert.Equal(WrongType, Call("HEXPIRE", "s", "soon", "FIELDS", "1", "a"));
        Assert.Equal(WrongType, Call("HTTL", "s", "NOFIELDS", "1", "a"));
        Assert.Equal(WrongType, Call("HPERSIST", "s", "FIELDS", "1", "a"));
        Assert.Equal(WrongType, Call("HGETEX", "s", "FIELDS", "1", "a"));
        Assert.Equal(WrongType, Call("HGETDEL", "s", "FIELDS", "1", "a"));
        Assert.Equal(WrongType, Call("HSETEX", "s", "FIELDS", "1", "a", "b"));
    }

    // ------------------------------------------------------------ HTTL family, HPERSIST

    [Fact]
    public void HTtlFamily_ReportNoFieldNoExpiryAndTimes()
    {
        long at = NowMs / 1000 + 1000;
        Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(Ints(1), Call("HEXPIREAT", "h", at.ToString(), "FIELDS", "1", "a"));
        Assert.Equal(Ints(at, -1, -2), Call("HEXPIRETIME", "h", "FIELDS", "3", "a", "b", "c"));
        Assert.Equal(Ints(at * 1000), Call("HPEXPIRETIME", "h", "FIELDS", "1", "a"));
        long ttl = long.Parse(Call("HTTL", "h", "FIELDS", "1", "a").Split("\r\n")[1][1..]);
        Assert.InRange(ttl, 990, 1000);
        long pttl = long.Parse(Call("HPTTL", "h", "FIELDS", "1", "a").Split("\r\n")[1][1..]);
        Assert.InRange(pttl, 990_000, 1_000_000);
        Assert.Equal(Ints(-2), Call("HTTL", "missing", "FIELDS", "1", "a"));
    }

    [Fact]
    public void HTtlFamily_ArgumentErrors()
    {
        Assert.Equal("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n", Call("HTTL", "h", "FIELD", "1", "a"));
        Assert.Equal("-ERR Number of fields must be a positive integer\r\n", Call("HPTTL", "h", "FIELDS", "0", "a"));
        Assert.Equal("-ERR Number of fields must be a positive integer\r\n", Call("HEXPIRETIME", "h", "FIELDS", "-1", "a"));
        Assert.Equal("-ERR The `numfields` parameter must match the number of arguments\r\n", Call("HPEXPIRETIME", "h", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR wrong number of arguments for 'httl' command\r\n", Call("HTTL", "h", "FIELDS", "1"));
    }

    [Fact]
    public void HPersist_RemovesExpiries()
    {
        Call("HSET", "h", "a", "1", "b", "2");
        Call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        Assert.Equal(Ints(1, -1, -2), Call("HPERSIST", "h", "FIELDS", "3", "a", "b", "c"));
        Assert.Equal(Ints(-1), Call("HTTL", "h", "FIELDS", "1", "a"));
        Assert.Equal(Ints(-2), Call("HPERSIST", "missing", "FIELDS", "1", "a"));
        Assert.Equal("-ERR Number of fields must be a positive integer\r\n", Call("HPERSIST", "h", "FIELDS", "0", "a"));
    }

    [Fact]
    public void HSet_DiscardsAFieldsExpiry_HIncrByKeepsIt()
    {
        Call("HSET", "h", "a", "1", "n", "1");
        Call("HEXPIRE", "h", "100", "FIELDS", "2", "a", "n");
        Call("HSET", "h", "a", "2");
        Call("HINCRBY", "h", "n", "1");
        var ttls = Ttls("h", "a", "n");
        Assert.Equal(-1, ttls[0]);
        AboutHundredSeconds(ttls[1]);
    }

    // ------------------------------------------------------------ expiry as time passes

    [Fact]
    public void ExpiredField_IsGoneFromReads_AndTheActiveCycleRemovesTheEmptiedKey()
    {
        Call("HSET", "h", "a", "1", "b", "2");
        Call("HSET", "k", "x", "1");
        Assert.Equal(Ints(1), Call("HPEXPIRE", "h", "50", "FIELDS", "1", "a"));
        Assert.Equal(Ints(1), Call("HPEXPIRE", "k", "50", "FIELDS", "1", "x"));
        Eventually(() => Call("HGET", "h", "a") == "$-1\r\n", "field a to expire");
        Assert.Equal(":1\r\n", Call("HLEN", "h"));
        Assert.Equal("*2\r\n$1\r\nb\r\n$1\r\n2\r\n", Call("HGETALL", "h"));
        // Nothing reads k: the active cycle must remove it.
        Eventually(() => Call("EXISTS", "k") == ":0\r\n", "the active cycle to remove k");
    }

    // ------------------------------------------------------------ HGETEX, HSETEX, HGETDEL

    [Fact]
    public void HGetEx_ReturnsValuesAndChangesExpiries()
    {
        Call("HSET", "h", "a", "1", "b", "2");
        Assert.Equal(Bulks("1", null), Call("HGETEX", "h", "FIELDS", "2", "a", "c"));
        Assert.Equal(Bulks("1"), Call("HGETEX", "h", "EX", "100", "FIELDS", "1", "a"));
        AboutHundredSeconds(Ttls("h", "a")[0]);
        Assert.Equal(Bulks("1"), Call("HGETEX", "h", "PERSIST", "FIELDS", "1", "a"));
        Assert.Equal(Ints(-1), Call("HTTL", "h", "FIELDS", "1", "a"));
        Assert.Equal(Bulks("1", "2"), Call("HGETEX", "h", "PXAT", "1", "FIELDS", "2", "a", "b"));
        Assert.Equal(":0\r\n", Call("EXISTS", "h"));
        Assert.Equal(Bulks(null, null), Call("HGETEX", "h", "FIELDS", "2", "a", "b"));
    }

    [Fact]
    public void HGetEx_ArgumentErrors()
    {
        Assert.Equal("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n", Call("HGETEX", "h", "PXAT", "1", "1"));
        Assert.Equal("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n", Call("HGETEX", "h", "PERSIST", "1", "FIELDS", "1", "a"));
        Assert.Equal("-ERR The `numfields` parameter must match the number of arguments\r\n", Call("HGETEX", "h", "FIELDS", "2", "a"));
        Assert.Equal("-ERR Number of fields must be a positive integer\r\n", Call("HGETEX", "h", "FIELDS", "0", "a"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Call("HGETEX", "h", "EX", "bla", "FIELDS", "1", "a"));
        Assert.Equal("-ERR invalid expire time, must be >= 0\r\n", Call("HGETEX", "h", "PX", "-1", "FIELDS", "1", "a"));
        Assert.Equal("-ERR invalid expire time in 'hgetex' command\r\n", Call("HGETEX", "h", "EXAT", ((1L << 46) + 100).ToString(), "FIELDS", "1", "a"));
        Assert.Equal("-ERR wrong number of arguments for 'hgetex' command\r\n", Call("HGETEX", "h", "FIELDS", "1"));
    }

    [Fact]
    public void HSetEx_SetsFieldsWithConditionsAndExpiry()
    {
        Assert.Equal(":0\r\n", Call("HSETEX", "h", "FXX", "FIELDS", "1", "a", "1"));
        Assert.Equal(":0\r\n", Call("EXISTS", "h"));
        Assert.Equal(":1\r\n", Call("HSETEX", "h", "FNX", "EX", "100", "FIELDS", "2", "a", "1", "b", "2"));
        Assert.All(Ttls("h", "a", "b"), AboutHundredSeconds);
        Assert.Equal(":0\r\n", Call("HSETEX", "h", "FNX", "FIELDS", "2", "a", "1", "c", "3"));
        Assert.Equal(":1\r\n", Call("HSETEX", "h", "KEEPTTL", "FXX", "FIELDS", "1", "a", "10"));
        AboutHundredSeconds(Ttls("h", "a")[0]);
        Assert.Equal(":1\r\n", Call("HSETEX", "h", "FIELDS", "1", "a", "11"));
        Assert.Equal(Ints(-1), Call("HTTL", "h", "FIELDS", "1", "a"));
        Assert.Equal("$2\r\n11\r\n", Call("HGET", "h", "a"));
        Assert.Equal(":1\r\n", Call("HSETEX", "h", "PX", "0", "FIELDS", "2", "a", "x", "b", "y"));
        Assert.Equal(":0\r\n", Call("EXISTS", "h"));
    }

    [Fact]
    public void HSetEx_ArgumentErrors()
    {
        Assert.Equal("-ERR wrong number of arguments for 'hsetex' command\r\n", Call("HSETEX", "h", "FIELDS", "2", "a", "b", "c"));
        Assert.Equal("-ERR wrong number of arguments for 'hsetex' command\r\n", Call("HSETEX", "h", "FIELDS", "1", "a", "b", "extra"));
        Assert.Equal("-ERR unknown argument: nx\r\n", Call("HSETEX", "h", "nx", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR Only one of FXX or FNX arguments can be specified\r\n", Call("HSETEX", "h", "FXX", "FNX", "EX", "100", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n", Call("HSETEX", "h", "EX", "100", "KEEPTTL", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n", Call("HSETEX", "h", "PX", "100", "PX", "100", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR value is not an integer or out of range\r\n", Call("HSETEX", "h", "EX", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR invalid expire time, must be >= 0\r\n", Call("HSETEX", "h", "EXAT", "-1", "FIELDS", "1", "a", "b"));
        Assert.Equal("-ERR invalid number of fields\r\n", Call("HSETEX", "h", "FIELDS", "0", "a", "b"));
        Assert.Equal("-ERR invalid number of fields\r\n", Call("HSETEX", "h", "FIELDS", "x", "a", "b"));
    }

    [Fact]
    public void HGetDel_ReturnsAndDeletesFields_TheKeyGoesWithTheLast()
    {
        Call("HSET", "h", "a", "1", "b", "2", "c", "3");
        Assert.Equal(Bulks("1", null), Call("HGETDEL", "h", "FIELDS", "2", "a", "zz"));
        Assert.Equal("*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n", Call("HGETALL", "h"));
        Assert.Equal(Bulks("2", "3"), Call("HGETDEL", "h", "FIELDS", "2", "b", "c"));
        Assert.Equal(":0\r\n", Call("EXISTS", "h"));
        Assert.Equal(Bulks((string?)null), Call("HGETDEL", "h", "FIELDS", "1", "a"));
        Assert.Equal("-ERR The `numfields` parameter must match the number of arguments\r\n", Call("HGETDEL", "h", "FIELDS", "3", "a", "b"));
        Assert.Equal("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n", Call("HGETDEL", "h", "FIELD", "1", "a"));
    }

    [Fact]
    public void Dump_OfAHashWithFieldExpiries_KeepsTheFieldsDropsTheExpiries_AndSaysSo()
    {
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var server = new TieredKvServer(null, loggerFactory);
        using var client = new RawClient(server.Port);
        client.Call("HSET", "h", "a", "1", "b", "2");
        client.Call("HEXPIRE", "h", "100", "FIELDS", "1", "a");
        var payload = client.Call("DUMP", "h");
        Assert.Equal('$', (char)payload[0]);
        int start = Array.IndexOf(payload, (byte)'\n') + 1;
        var restore = new List<byte[]> { Encoding.ASCII.GetBytes("RESTORE"), Encoding.ASCII.GetBytes("copy"), Encoding.ASCII.GetBytes("0"), payload[start..^2] };
        Assert.Equal("+OK\r\n", Encoding.UTF8.GetString(client.Call(restore)));
        Assert.Equal("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n", Encoding.UTF8.GetString(client.Call("HGETALL", "copy")));
        Assert.Equal(Ints(-1), Encoding.UTF8.GetString(client.Call("HTTL", "copy", "FIELDS", "1", "a")));
        Assert.Contains(logs.Messages, m => m.StartsWith("Warning:") && m.Contains("field expiries"));
    }

    [Fact]
    public void CommandInfo_HasRedisArities()
    {
        foreach (var (name, arity) in new[] { ("hexpire", -6), ("hpexpireat", -6), ("httl", -5), ("hpersist", -5), ("hgetex", -5), ("hsetex", -6), ("hgetdel", -5) })
            Assert.Contains($"${name.Length}\r\n{name}\r\n:{arity}\r\n", Call("COMMAND", "INFO", name));
    }

    // ------------------------------------------------------------ notifications

    /// <summary>Runs the commands with every keyspace event enabled and returns the events published about <c>h</c>, in order.</summary>
    private List<string> EventsOf(params string[][] commands)
    {
        Call("CONFIG", "SET", "notify-keyspace-events", "KA");
        using var subscriber = new RawClient(_server.Port);
        subscriber.Call("SUBSCRIBE", "__keyspace@0__:h");
        foreach (var command in commands)
        {
            if (command[0] == "WAIT-EXPIRED") Eventually(() => Call("HPEXPIRETIME", "h", "FIELDS", "1", command[1]) == Ints(-2), "the field to expire");
            else Call(command);
        }
        Call("PUBLISH", "__keyspace@0__:h", "end");
        var events = new List<string>();
        while (true)
        {
            var lines = Encoding.UTF8.GetString(subscriber.ReadReply()).Split("\r\n");
            string payload = lines[^2];
            if (payload == "end") return events;
            events.Add(payload);
        }
    }

    [Fact]
    public void Notifications_SetPersistAndDeleteExpiries()
    {
        var events = EventsOf(
            ["HSET", "h", "a", "1", "b", "2"],
            ["HEXPIRE", "h", "100", "FIELDS", "1", "a"],
            ["HPERSIST", "h", "FIELDS", "1", "a"],
            ["HPERSIST", "h", "FIELDS", "1", "a"],
            ["HGETEX", "h", "EX", "100", "FIELDS", "1", "b"],
            ["HPEXPIRE", "h", "0", "FIELDS", "1", "a"],
            ["HGETDEL", "h", "FIELDS", "1", "b"]);
        Assert.Equal(["hset", "hexpire", "hpersist", "hexpire", "hdel", "hdel", "del"], events);
    }

    [Fact]
    public void Notifications_HSetExWithATimePassed_AreHSetHDelDel()
    {
        var events = EventsOf(
            ["HSETEX", "h", "EX", "100", "FIELDS", "1", "a", "1"],
            ["HSETEX", "h", "PX", "0", "FIELDS", "1", "a", "2"],
            ["HGETEX", "h", "PERSIST", "FIELDS", "1", "a"]);
        Assert.Equal(["hset", "hexpire", "hset", "hdel", "del"], events);
    }

    [Fact]
    public void Notifications_FieldsExpiring_AreHExpiredThenDel()
    {
        var events = EventsOf(
            ["HSETEX", "h", "PX", "30", "FIELDS", "1", "a", "1"],
            ["HSET", "h", "b", "2"],
            ["HPEXPIRE", "h", "30", "FIELDS", "1", "b"],
            ["WAIT-EXPIRED", "a"],
            ["WAIT-EXPIRED", "b"]);
        Assert.Equal(["hset", "hexpire", "hset", "hexpire"], events.Take(4));
        // Each expiry pass reports "hexpired" once for all the fields it removed; the last field takes the key.
        Assert.Contains("hexpired", events.Skip(4));
        Assert.Equal("del", events[^1]);
    }
}
