using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>String commands: the same scripts against real Redis and TieredKv, replies compared byte for byte.</summary>
public sealed class StringDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void GetSet_Basics()
    {
        Same("GET", "missing");
        Same("SET", "k", "v");
        Same("GET", "k");
        Same("SET", "k", "v2", "NX");
        Same("SET", "k", "v3", "XX");
        Same("SET", "new", "x", "XX");
        Same("SET", "k", "v4", "GET");
        Same("SET", "k", "v5", "NX", "GET");
        Same("GET", "k");
        Same("SETNX", "k", "z");
        Same("SETNX", "k2", "z");
        Same("GETSET", "k2", "y");
        Same("GETDEL", "k2");
        Same("GETDEL", "k2");
        Same("STRLEN", "k");
        Same("STRLEN", "nope");
    }

    [SkippableFact]
    public void Set_OptionErrors()
    {
        Same("SET", "k", "v", "EX", "0");
        Same("SET", "k", "v", "EX", "-5");
        Same("SET", "k", "v", "PX", "abc");
        Same("SET", "k", "v", "EX", "10", "PX", "100");
        Same("SET", "k", "v", "NX", "XX");
        Same("SET", "k", "v", "KEEPTTL", "EX", "10");
        Same("SET", "k", "v", "BOGUS");
        Same("SET", "k");
        Same("SETEX", "k", "0", "v");
        Same("PSETEX", "k", "-1", "v");
        Same("SETEX", "k", "ten", "v");
        Same("GETEX", "k", "EX", "10", "PERSIST");
    }

    [SkippableFact]
    public void Counters()
    {
        Same("INCR", "n");
        Same("INCRBY", "n", "41");
        Same("DECR", "n");
        Same("DECRBY", "n", "10");
        Same("INCRBY", "n", "abc");
        Same("SET", "s", "hello");
        Same("INCR", "s");
        Same("SET", "big", "9223372036854775807");
        Same("INCR", "big");
        Same("SET", "sp", " 1");
        Same("INCR", "sp");
        Same("SET", "f", "10.50");
        Same("INCRBYFLOAT", "f", "0.1");
        Same("INCRBYFLOAT", "f", "-5");
        Same("INCRBYFLOAT", "f", "abc");
        Same("INCRBYFLOAT", "g", "5.0e3");
        Same("DECRBY", "n", "-9223372036854775808");
    }

    /// <summary>INCRBYFLOAT adds in long double, as HINCRBYFLOAT: 0.1 + 0.2 is 0.3, and 1e400 is a valid increment.</summary>
    [SkippableFact]
    public void IncrByFloat_InLongDouble()
    {
        Same("INCRBYFLOAT", "f", "0.1");
        Same("INCRBYFLOAT", "f", "0.2");
        Same("INCRBYFLOAT", "f", "-5000");
        Same("INCRBYFLOAT", "f", "0.3333333333333333333333");
        Same("INCRBYFLOAT", "big", "1e400");
        Same("INCRBYFLOAT", "big", "-1e400");
        Same("INCRBYFLOAT", "inf", "inf");
        Same("INCRBYFLOAT", "tiny", "1e-400");
        Same("SET", "sp", " 1.5");
        Same("INCRBYFLOAT", "sp", "1");
        Same("INCRBYFLOAT", "g", "+1.5E2");
        Same("INCRBYFLOAT", "g", ".5");
    }

    [SkippableFact]
    public void Ranges_AndAppend()
    {
        Same("APPEND", "a", "Hello");
        Same("APPEND", "a", " World");
        Same("GETRANGE", "a", "0", "4");
        Same("GETRANGE", "a", "-5", "-1");
        Same("GETRANGE", "a", "5", "2");
        Same("GETRANGE", "a", "0", "100");
        Same("GETRANGE", "missing", "0", "1");
        Same("SETRANGE", "a", "6", "Redis");
        Same("GET", "a");
        Same("SETRANGE", "pad", "3", "x");
        Same("GET", "pad");
        Same("SETRANGE", "empty", "0", "");
        Same("EXISTS", "empty");
        Same("SETRANGE", "a", "-1", "x");
    }

    [SkippableFact]
    public void MultiKey()
    {
        Same("MSET", "a", "1", "b", "2");
        Same("MGET", "a", "b", "c");
        Same("MSET", "a");
        Same("MSETNX", "c", "3", "a", "9");
        Same("MSETNX", "c", "3", "d", "4");
        Same("MGET", "a", "b", "c", "d");
    }

    [SkippableFact]
    public void Arity()
    {
        Same("GET");
        Same("GET", "a", "b");
        Same("MGET");
    }

    [SkippableFact]
    public void SetRange_HugeOffsetsAreRefusedWithoutOverflow()
    {
        Same("SETRANGE", "k", "9223372036854775807", "v");
        Same("SETRANGE", "k", "9223372036854775806", "vv");
        Same("SETRANGE", "k", "536870912", "v");
        Same("SETRANGE", "k", "536870911", "");
        Same("SET", "k", "abc");
        Same("SETRANGE", "k", "9223372036854775807", "");
        Same("SETRANGE", "k", "-1", "");
        Same("GET", "k");
    }

    [SkippableFact]
    public void IncrByFloat_HugeIncrementsAsRedisLongDouble()
    {
        Same("SET", "k", "1");
        Same("INCRBYFLOAT", "k", "1e400");
        Same("GET", "k");
        Same("SET", "m", "0");
        Same("INCRBYFLOAT", "m", "1e308");
        Same("INCRBYFLOAT", "m", "1e308");
        Same("GET", "m");
    }
}
