using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>INFO's keyspace_hits, keyspace_misses and dbN line after the same commands on real Redis and ours.</summary>
public sealed class KeyspaceStatsDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private string Field(RawClient client, string section, string name)
    {
        string info = Encoding.UTF8.GetString(client.Call("INFO", section));
        return info.Split("\r\n").SingleOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal)) ?? $"{name}: absent";
    }

    private void SameStats()
    {
        var (redis, ours) = Clients;
        Assert.Equal(Field(redis, "stats", "keyspace_hits"), Field(ours, "stats", "keyspace_hits"));
        Assert.Equal(Field(redis, "stats", "keyspace_misses"), Field(ours, "stats", "keyspace_misses"));
    }

    /// <summary>The dbN line up to avg_ttl, which Redis estimates from its expiry cycle's random samples.</summary>
    private void SameDatabaseLine(string db)
    {
        var (redis, ours) = Clients;
        static string UpToAverage(string line) => line.Contains(",avg_ttl=", StringComparison.Ordinal) ? line[..line.IndexOf(",avg_ttl=", StringComparison.Ordinal)] : line;
        Assert.Equal(UpToAverage(Field(redis, "keyspace", db)), UpToAverage(Field(ours, "keyspace", db)));
    }

    [SkippableFact]
    public void ReadCommands_CountHitsAndMisses_WritesDoNot()
    {
        Setup("CONFIG", "RESETSTAT");
        SameEach(
            "SET a 1", "GET a", "GET b", "MGET a b c", "EXISTS a b", "TYPE a", "TYPE nothing", "TTL a", "PTTL b", "STRLEN a",
            "HSET h f v", "HGET h f", "HGET none f", "HGETALL h", "HLEN h", "HEXISTS h f",
            "LPUSH l x y", "LRANGE l 0 -1", "LLEN none", "LINDEX l 0",
            "SADD s 1 2", "SMEMBERS s", "SISMEMBER s 1", "SCARD none", "SUNION s none", "SINTERSTORE d s none",
            "ZADD z 1 m", "ZSCORE z m", "ZRANGE z 0 -1", "ZCARD none", "ZUNIONSTORE d2 2 z none", "ZUNION 2 z none",
            "INCR counter", "DEL a", "GET a", "APPEND a x", "LPOP l", "GET l", "SET a 1 GET");
        SameStats();
    }

    [SkippableFact]
    public void MoreReadCommands_CountAsInRedis()
    {
        Setup("CONFIG", "RESETSTAT");
        SameEach(
            "SET a 1", "GETEX a", "GETDEL nothing", "GETRANGE a 0 1", "SETBIT bits 3 1", "BITCOUNT bits", "BITPOS bits 1",
            "BITOP AND dest bits a", "BITFIELD_RO bits GET u4 0", "SETRANGE a 1 x", "GETSET a 2",
            "HSET h f v f2 v2", "HMGET h f x", "HKEYS h", "HSTRLEN h f", "HINCRBY h n 1", "HDEL h f2",
            "RPUSH l a b c", "LPOS l b", "LSET l 0 z", "LMOVE l l2 LEFT RIGHT", "LMPOP 1 l LEFT",
            "SADD s 1 2 3", "SADD s2 9", "SMISMEMBER s 1 9", "SMOVE s s2 1", "SINTER s s2", "SINTERCARD 2 s s2", "SDIFFSTORE d3 s s2",
            "ZADD z 1 a 2 b 3 c", "ZRANK z a", "ZCOUNT z 0 5", "ZRANGEBYLEX z - +", "ZRANGESTORE zd z 0 -1", "ZMSCORE z a x",
            "ZINCRBY z 1 a", "ZPOPMIN z", "ZINTER 2 z zd", "ZINTERCARD 2 z zd", "ZDIFFSTORE zd2 2 z zd",
            "GEOADD g 13.36 38.11 p", "GEOPOS g p", "GEODIST g p p", "GEOHASH g p", "GEOSEARCH g FROMMEMBER p BYRADIUS 10 km",
            "GEOSEARCHSTORE gd g FROMMEMBER p BYRADIUS 10 km", "GEORADIUS g 13 38 100 km", "GEORADIUSBYMEMBER g p 10 km",
            "GEOSEARCH nog FROMLONLAT 1 1 BYRADIUS 10 km", "GEORADIUS g 13 38 100 km STORE gst",
            "PFADD hll a", "PFCOUNT hll", "PFCOUNT hll nohll", "PFMERGE hll2 hll", "DUMP a", "EXPIRETIME a", "TOUCH a nothing",
            "OBJECT ENCODING a", "MEMORY USAGE a", "COPY a a2", "RENAME a2 a3", "MOVE a3 1", "DBSIZE");
        SameStats();
    }

    [SkippableFact]
    public void ConfigResetstat_ZeroesHitsAndMisses()
    {
        SameEach("SET a 1", "GET a", "GET b");
        Setup("CONFIG", "RESETSTAT");
        SameStats();
        Same("GET", "a");
        SameStats();
    }

    [SkippableFact]
    public void DatabaseLine_CountsKeysWithATtl()
    {
        SameEach(
            "SET plain 1", "SET soon 1 EX 1000", "HSET h f v", "EXPIRE h 500", "RPUSH l a", "PEXPIRE l 900000",
            "SET later 2 PX 100000", "PERSIST soon", "SET later 3", "SET again 1 EX 100", "EXPIRE again 200",
            "DEL l", "RENAME h h2", "COPY h2 h3", "SETEX tmp 100 v", "GETEX plain EX 50");
        SameDatabaseLine("db0");
        SameEach("MOVE h3 1", "SELECT 1");
        SameDatabaseLine("db0");
        SameDatabaseLine("db1");
        SameEach("FLUSHDB", "SELECT 0");
        SameDatabaseLine("db1");
        SameDatabaseLine("db0");
    }
}
