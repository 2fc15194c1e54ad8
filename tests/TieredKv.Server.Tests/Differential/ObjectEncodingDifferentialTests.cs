using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// OBJECT ENCODING against real Redis 7.0.15, at the default thresholds and with them changed by CONFIG SET on both
/// servers (set before the keys are written: Redis converts when a write finds a threshold exceeded).
/// </summary>
public sealed class ObjectEncodingDifferentialTests : DifferentialTest
{
    private static readonly string[] Thresholds =
        ["hash-max-listpack-entries", "hash-max-listpack-value", "zset-max-listpack-entries", "zset-max-listpack-value", "set-max-intset-entries"];

    public ObjectEncodingDifferentialTests(DifferentialFixture fixture) : base(fixture)
    {
        if (!fixture.RedisAvailable) return;
        // Redis's defaults, as each test may change them on the shared servers.
        Setup("CONFIG", "SET", "hash-max-listpack-entries", "512", "hash-max-listpack-value", "64", "zset-max-listpack-entries", "128",
            "zset-max-listpack-value", "64", "set-max-intset-entries", "512");
    }

    [SkippableFact]
    public void Thresholds_HaveRedisDefaults()
    {
        foreach (var name in Thresholds) Same("CONFIG", "GET", name);
    }

    [SkippableFact]
    public void Strings_IntEmbstrRaw()
    {
        string[] values = ["123", "-1", "0", "0123", "+5", "9223372036854775807", "9223372036854775808", "12345678901234567890",
            "1.5", " 1", "abc", new('x', 44), new('x', 45), ""];
        for (int i = 0; i < values.Length; i++)
        {
            Same("SET", $"s{i}", values[i]);
            Same("OBJECT", "ENCODING", $"s{i}");
        }
        Same("INCR", "counter");
        Same("OBJECT", "ENCODING", "counter");
        Same("OBJECT", "ENCODING", "missing");
    }

    [SkippableFact]
    public void Collections_AtDefaultThresholds()
    {
        Same("HSET", "h", "f", "v");
        Same("HSET", "hlong", "f", new string('v', 65));
        Same("RPUSH", "l", "a");
        Same("SADD", "ints", "1", "2", "-3");
        Same("SADD", "words", "1", "x");
        Same("ZADD", "z", "1", "a");
        Same("ZADD", "zlong", "1", new string('m', 65));
        foreach (var key in new[] { "h", "hlong", "l", "ints", "words", "z", "zlong" }) Same("OBJECT", "ENCODING", key);
    }

    [SkippableFact]
    public void Collections_GrowPastLoweredThresholds()
    {
        Same("CONFIG", "SET", "hash-max-listpack-entries", "2", "zset-max-listpack-entries", "2", "set-max-intset-entries", "2");
        Same("HSET", "h", "a", "1", "b", "2");
        Same("ZADD", "z", "1", "a", "2", "b");
        Same("SADD", "s", "1", "2");
        foreach (var key in new[] { "h", "z", "s" }) Same("OBJECT", "ENCODING", key);
        Same("HSET", "h", "c", "3");
        Same("ZADD", "z", "3", "c");
        Same("SADD", "s", "3");
        foreach (var key in new[] { "h", "z", "s" }) Same("OBJECT", "ENCODING", key);
    }

    [SkippableFact]
    public void Collections_LongElementsPastLoweredValueThresholds()
    {
        Same("CONFIG", "SET", "hash-max-listpack-value", "3", "zset-max-listpack-value", "3");
        Same("HSET", "hfield", "abc", "1");
        Same("HSET", "hvalue", "f", "abcd");
        Same("HSET", "hkey", "abcd", "1");
        Same("ZADD", "zshort", "1", "abc");
        Same("ZADD", "zlong", "1", "abcd");
        foreach (var key in new[] { "hfield", "hvalue", "hkey", "zshort", "zlong" }) Same("OBJECT", "ENCODING", key);
    }

    [SkippableFact]
    public void ZeroThresholds_MakeEveryCollectionLarge()
    {
        Same("CONFIG", "SET", "hash-max-listpack-entries", "0", "zset-max-listpack-entries", "0", "set-max-intset-entries", "0");
        Same("HSET", "h", "a", "1");
        Same("ZADD", "z", "1", "a");
        Same("SADD", "s", "1");
        foreach (var key in new[] { "h", "z", "s" }) Same("OBJECT", "ENCODING", key);
    }

    [SkippableFact]
    public void AliasAndMemoryUnits_SetTheSameThreshold()
    {
        Same("CONFIG", "SET", "hash-max-ziplist-entries", "1", "zset-max-ziplist-value", "1kb");
        Same("CONFIG", "GET", "hash-max-listpack-entries");
        Same("CONFIG", "GET", "zset-max-listpack-value");
        Same("HSET", "h", "a", "1", "b", "2");
        Same("ZADD", "z", "1", new string('m', 100));
        Same("OBJECT", "ENCODING", "h");
        Same("OBJECT", "ENCODING", "z");
    }
}
