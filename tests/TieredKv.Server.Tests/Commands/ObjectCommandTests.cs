using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Commands;

/// <summary>
/// OBJECT and MEMORY where no differential test reaches: our TIER subcommand, MEMORY USAGE's estimate,
/// collection encodings, and type errors on keys made through the store (the server has no collection commands yet).
/// </summary>
public sealed class ObjectCommandTests : IDisposable
{
    private readonly TieredKvServer _server = new(o => o.MaxMemory = 64 << 10);
    private readonly RawClient _client;

    public ObjectCommandTests() => _client = new RawClient(_server.Port);

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    private KvDatabase Db => _server.State.Store[0];

    private string Call(params string[] args) => Encoding.UTF8.GetString(_client.Call(args));

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Tier_IsHotAfterWrite_ColdOnceEvicted_HotAgainAfterRead()
    {
        Assert.Equal("+OK\r\n", Call("SET", "first", "v"));
        Assert.Equal("$3\r\nhot\r\n", Call("OBJECT", "TIER", "first"));
        var value = new string('x', 200);
        for (int i = 0; i < 2000; i++) Db.Set(B($"filler{i}"), B(value));
        Assert.Equal("$4\r\ncold\r\n", Call("OBJECT", "TIER", "first"));
        Assert.Equal("$3\r\nhot\r\n", Call("OBJECT", "TIER", "first")); // the lookup promoted it
        Assert.Equal("$-1\r\n", Call("OBJECT", "TIER", "missing"));
        Assert.StartsWith("-ERR wrong number of arguments for 'object|tier' command", Call("OBJECT", "TIER"));
    }

    [Fact]
    public void MemoryUsage_MatchesRedisForSmallStrings_AndGrowsWithValues()
    {
        Call("SET", "k", "hello");
        Call("SET", "k2", new string('a', 100));
        Call("SET", "k3", "12345");
        // What redis-server 7.0 reports for the same keys.
        Assert.Equal(":64\r\n", Call("MEMORY", "USAGE", "k"));
        Assert.Equal(":160\r\n", Call("MEMORY", "USAGE", "k2"));
        Assert.Equal(":48\r\n", Call("MEMORY", "USAGE", "k3"));
        Assert.Equal("$-1\r\n", Call("MEMORY", "USAGE", "missing"));
        Assert.Equal("-ERR syntax error\r\n", Call("MEMORY", "USAGE", "k", "SAMPLES", "-1"));

        Db.HSet(B("h"), [.. Enumerable.Range(0, 1000).Select(i => (B($"field{i}"), B(new string('v', 50))))]);
        long small = Usage("k"), hash = Usage("h"), all = Usage("h", "0");
        Assert.True(hash > 50_000, $"hash estimate {hash}");
        Assert.True(all > 50_000 && all < 2 * hash, $"full scan {all} vs sampled {hash}");
        Assert.True(small < hash);
    }

    private long Usage(string key, string? samples = null)
    {
        string reply = samples == null ? Call("MEMORY", "USAGE", key) : Call("MEMORY", "USAGE", key, "SAMPLES", samples);
        Assert.StartsWith(":", reply);
        return long.Parse(reply[1..^2]);
    }

    [Fact]
    public void Encoding_OfCollections_FollowsRedis70Thresholds()
    {
        Db.HSet(B("hsmall"), [(B("f"), B("v"))]);
        Db.HSet(B("hlongvalue"), [(B("f"), B(new string('v', 65)))]);
        Db.HSet(B("hmany"), [.. Enumerable.Range(0, 513).Select(i => (B($"f{i}"), B("v")))]);
        Db.SAdd(B("ints"), [.. Enumerable.Range(0, 512).Select(i => B(i.ToString()))]);
        Db.SAdd(B("manyints"), [.. Enumerable.Range(0, 513).Select(i => B(i.ToString()))]);
        Db.SAdd(B("words"), [B("1"), B("a")]);
        Db.ZAdd(B("zsmall"), [(1, B("m"))]);
        Db.ZAdd(B("zlong"), [(1, B(new string('m', 65)))]);
        Db.RPush(B("list"), [B("x")]);

        Assert.Equal("$8\r\nlistpack\r\n", Call("OBJECT", "ENCODING", "hsmall"));
        Assert.Equal("$9\r\nhashtable\r\n", Call("OBJECT", "ENCODING", "hlongvalue"));
        Assert.Equal("$9\r\nhashtable\r\n", Call("OBJECT", "ENCODING", "hmany"));
        Assert.Equal("$6\r\nintset\r\n", Call("OBJECT", "ENCODING", "ints"));
        Assert.Equal("$9\r\nhashtable\r\n", Call("OBJECT", "ENCODING", "manyints"));
        Assert.Equal("$9\r\nhashtable\r\n", Call("OBJECT", "ENCODING", "words"));
        Assert.Equal("$8\r\nlistpack\r\n", Call("OBJECT", "ENCODING", "zsmall"));
        Assert.Equal("$8\r\nskiplist\r\n", Call("OBJECT", "ENCODING", "zlong"));
        Assert.Equal("$9\r\nquicklist\r\n", Call("OBJECT", "ENCODING", "list"));
        Assert.Equal(":1\r\n", Call("OBJECT", "REFCOUNT", "list"));
        Assert.Equal(":0\r\n", Call("OBJECT", "IDLETIME", "list"));
    }

    [Fact]
    public void Help_IsRedisText_WithoutTier()
    {
        // HELP answers Redis 7.0's text exactly (MemoryDifferentialTests compares it); TIER stays callable.
        string help = Call("OBJECT", "HELP");
        Assert.StartsWith("*15\r\n+OBJECT <subcommand>", help);
        Assert.DoesNotContain("TIER", help);
        Assert.Equal("-ERR unknown subcommand 'nosuch'. Try MEMORY HELP.\r\n", Call("MEMORY", "nosuch"));
    }

    [Fact]
    public void BitCommands_AndLcs_RefuseOtherTypes()
    {
        Db.RPush(B("l"), [B("x")]);
        Call("SET", "s", "abc");
        const string wrongType = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
        Assert.Equal(wrongType, Call("SETBIT", "l", "1", "1"));
        Assert.Equal(wrongType, Call("GETBIT", "l", "1"));
        Assert.Equal("-ERR bit offset is not an integer or out of range\r\n", Call("GETBIT", "l", "-1")); // the offset is checked first
        Assert.Equal(wrongType, Call("BITCOUNT", "l"));
        Assert.Equal(wrongType, Call("BITPOS", "l", "1"));
        Assert.Equal(wrongType, Call("BITFIELD", "l", "GET", "u8", "0"));
        Assert.Equal(wrongType, Call("BITFIELD_RO", "l", "GET", "u8", "0"));
        Assert.Equal(wrongType, Call("BITFIELD", "l", "SET", "u8", "0", "1"));
        Assert.Equal(wrongType, Call("BITOP", "OR", "d", "s", "l"));
        Assert.Equal(":0\r\n", Call("EXISTS", "d"));
        Assert.Equal(":3\r\n", Call("BITOP", "OR", "l", "s")); // the destination is overwritten whatever its type
        Assert.Equal("+string\r\n", Call("TYPE", "l"));
        Db.SAdd(B("set"), [B("m")]);
        Assert.Equal("-ERR The specified keys must contain string values\r\n", Call("LCS", "s", "set"));
        Assert.Equal("-ERR The specified keys must contain string values\r\n", Call("LCS", "set", "missing", "BOGUS"));
    }

    [Fact]
    public void Lcs_RefusesTablesBeyondProtoMaxBulkLen()
    {
        Call("CONFIG", "SET", "proto-max-bulk-len", "1mb");
        Call("SET", "a", new string('a', 1000));
        Call("SET", "b", new string('b', 1000));
        Assert.Equal("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n", Call("LCS", "a", "b"));
    }
}
