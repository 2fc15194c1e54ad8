using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>Generic key commands against real Redis, replies compared byte for byte.</summary>
public sealed class KeyDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void Exists_Del_Type()
    {
        Same("SET", "a", "1");
        Same("SET", "b", "2");
        Same("EXISTS", "a", "b", "c", "a");
        Same("TYPE", "a");
        Same("TYPE", "none");
        Same("DEL", "a", "c");
        Same("UNLINK", "b");
        Same("TOUCH", "a", "b");
        Same("DBSIZE");
    }

    [SkippableFact]
    public void Rename_Copy_Move()
    {
        Same("SET", "src", "v");
        Same("RENAME", "src", "dst");
        Same("RENAME", "src", "dst");
        Same("SET", "other", "o");
        Same("RENAMENX", "dst", "other");
        Same("RENAMENX", "dst", "fresh");
        Same("RENAME", "fresh", "fresh");
        Same("COPY", "fresh", "copy");
        Same("COPY", "fresh", "copy");
        Same("COPY", "fresh", "copy", "REPLACE");
        Same("COPY", "fresh", "copy", "DB", "1");
        Same("COPY", "fresh", "copy", "DB", "99");
        Same("COPY", "fresh", "copy", "BOGUS");
        Same("MOVE", "copy", "2");
        Same("MOVE", "copy", "2");
        Same("MOVE", "fresh", "0");
        Same("MOVE", "fresh", "abc");
        Same("SELECT", "2");
        Same("GET", "copy");
        Same("SELECT", "0");
        Same("SELECT", "100");
        Same("SELECT", "x");
    }

    [SkippableFact]
    public void Expire_Options()
    {
        Same("SET", "k", "v");
        Same("EXPIRE", "k", "100", "XX");
        Same("EXPIRE", "k", "100", "GT");
        Same("EXPIRE", "k", "100", "NX");
        Same("EXPIRE", "k", "200", "NX");
        Same("EXPIRE", "k", "50", "GT");
        Same("EXPIRE", "k", "500", "GT");
        Same("EXPIRE", "k", "50", "LT");
        Same("TTL", "k");
        Same("EXPIRE", "k", "10", "NX", "XX");
        Same("EXPIRE", "k", "10", "GT", "LT");
        Same("EXPIRE", "k", "10", "FOO");
        Same("EXPIRE", "k", "abc");
        Same("PERSIST", "k");
        Same("PERSIST", "k");
        Same("TTL", "k");
        Same("TTL", "missing");
        Same("PTTL", "missing");
        Same("EXPIRETIME", "k");
        Same("EXPIRE", "missing", "10");
        Same("EXPIRE", "k", "-1");
        Same("EXISTS", "k");
        Same("SET", "k", "v");
        Same("PEXPIREAT", "k", "1");
        Same("EXISTS", "k");
        Same("SET", "k", "v");
        Same("EXPIREAT", "k", "99999999999");
        Same("EXPIRETIME", "k");
        Same("PEXPIRETIME", "k");
        Same("SET", "k", "v", "KEEPTTL");
        Same("EXPIRETIME", "k");
        Same("SET", "k", "v");
        Same("EXPIRETIME", "k");
        Same("EXPIRE", "k", "9223372036854775807");
    }

    [SkippableFact]
    public void Keys_Scan_Patterns()
    {
        foreach (var k in new[] { "hello", "hallo", "hxllo", "hllo", "heeeello", "other" }) Same("SET", k, "1");
        SameUnordered("KEYS", "h?llo");
        SameUnordered("KEYS", "h*llo");
        SameUnordered("KEYS", "h[ae]llo");
        SameUnordered("KEYS", "*");
        Same("SCAN", "0", "MATCH", "zzz*", "COUNT", "1000");
        Same("SCAN", "abc");
        Same("SCAN", "0", "COUNT", "0");
        Same("SCAN", "0", "MATCH");
        Same("SCAN", "0", "TYPE", "list", "COUNT", "1000");
        Same("RANDOMKEY", "x");
    }

    [SkippableFact]
    public void Server_Commands()
    {
        Same("PING");
        Same("PING", "hello");
        Same("PING", "a", "b");
        Same("ECHO", "x");
        Same("FLUSHDB", "FOO");
        Same("FLUSHDB", "ASYNC");
        Same("FLUSHALL", "SYNC");
        Same("DBSIZE");
        Same("CONFIG", "FOO");
        Same("CONFIG", "GET");
        Same("CLIENT", "NOPE");
        Same("CLIENT", "SETNAME", "has space");
        Same("CLIENT", "SETNAME", "conn1");
        Same("CLIENT", "GETNAME");
        Same("NOSUCHCOMMAND", "a", "b");
        Same("NOSUCHCOMMAND");
        Same("AUTH", "pass");
        Same("HELLO", "4");
        Same("HELLO", "abc");
    }

    [SkippableFact]
    public void Copy_OntoItselfIsRefusedEvenForAMissingKey()
    {
        Same("SET", "a", "v");
        Same("COPY", "a", "a");
        Same("COPY", "a", "a", "REPLACE");
        Same("COPY", "missing", "missing");
        Same("COPY", "a", "a", "DB", "0");
        Same("COPY", "a", "a", "DB", "1");
        Same("SELECT", "1");
        Same("GET", "a");
    }

    [SkippableFact]
    public void Move_BackAndForth_DoesNotReviveRemovedElements()
    {
        Same("SADD", "s", "a", "b", "c");
        Same("MOVE", "s", "1");
        Same("SELECT", "1");
        Same("SREM", "s", "b");
        Same("MOVE", "s", "0");
        Same("SELECT", "0");
        Same("SCARD", "s");
        SameUnordered("SMEMBERS", "s");
        Same("SISMEMBER", "s", "b");
    }

    [SkippableFact]
    public void Move_KeepsTtlAndRefusesExistingOrSameDatabase()
    {
        Same("SET", "t", "v", "EX", "100");
        Same("MOVE", "t", "2");
        Same("MOVE", "t", "2");
        Same("SELECT", "2");
        Same("TTL", "t");
        Same("SET", "other", "dst");
        Same("SELECT", "0");
        Same("SET", "other", "src");
        Same("MOVE", "other", "2");
        Same("GET", "other");
        Same("MOVE", "other", "0");
        Same("MOVE", "missing", "2");
    }

    [SkippableFact]
    public void Move_OntoAnExpiredKeyInTheTarget()
    {
        Same("SELECT", "1");
        Same("SET", "e", "old", "PX", "10");
        Same("SELECT", "0");
        Same("RPUSH", "e", "x", "y");
        Thread.Sleep(50);
        Same("MOVE", "e", "1");
        Same("SELECT", "1");
        Same("LRANGE", "e", "0", "-1");
    }

    private static long IdleSeconds(RawClient client, string key)
    {
        string reply = System.Text.Encoding.UTF8.GetString(client.Call("OBJECT", "IDLETIME", key));
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        return long.Parse(reply.AsSpan(1).TrimEnd("\r\n"), System.Globalization.CultureInfo.InvariantCulture);
    }

    [SkippableFact]
    public void ObjectIdleTime_KeepsGrowingThroughTtlTypeAndExists()
    {
        Same("SET", "k", "v");
        Same("SET", "used", "v");
        Thread.Sleep(2200);
        Same("TTL", "k");
        Same("PTTL", "k");
        Same("TYPE", "k");
        Same("EXISTS", "k");
        Same("OBJECT", "ENCODING", "k");
        Same("GET", "used"); // a read is a use of the key
        var (redis, ours) = Clients;
        // Redis's LRU clock ticks in whole seconds: 2.2 s idle reads as 2 or 3.
        Assert.InRange(IdleSeconds(redis, "k"), 2, 3);
        Assert.InRange(IdleSeconds(ours, "k"), 2, 3);
        Assert.Equal(0, IdleSeconds(redis, "used"));
        Assert.Equal(0, IdleSeconds(ours, "used"));
        Same("OBJECT", "IDLETIME", "missing");
    }

    [SkippableFact]
    public void ObjectIdleTime_RestartsOnTouchAndWrite()
    {
        Same("SET", "t", "v");
        Same("SET", "w", "v");
        Thread.Sleep(1200);
        Same("TOUCH", "t", "missing");
        Same("APPEND", "w", "x");
        var (redis, ours) = Clients;
        Assert.Equal(0, IdleSeconds(redis, "t"));
        Assert.Equal(0, IdleSeconds(ours, "t"));
        Assert.Equal(0, IdleSeconds(redis, "w"));
        Assert.Equal(0, IdleSeconds(ours, "w"));
    }
}
