using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// DUMP and RESTORE of streams with consumer groups, both ways: Redis's payload restored into both servers, and ours
/// restored into both, then the streams compared whole (XRANGE and XINFO STREAM FULL; the radix-tree counters, which
/// only Redis's memory layout defines, masked).
/// </summary>
public sealed class StreamDumpDifferentialTests : DifferentialTest
{
    public StreamDumpDifferentialTests(DifferentialFixture fixture) : base(fixture)
    {
        if (!fixture.RedisAvailable) return;
        for (int i = 1; i <= 250; i++) Setup("XADD", "s", $"{i}-1", "field", $"value {i}", i % 3 == 0 ? "other" : "field2", new string('x', i % 40));
        Setup("XDEL", "s", "7-1", "8-1");
        Setup("XGROUP", "CREATE", "s", "workers", "0");
        Setup("XGROUP", "CREATE", "s", "late", "$", "ENTRIESREAD", "3");
        Setup("XREADGROUP", "GROUP", "workers", "alice", "COUNT", "20", "STREAMS", "s", ">");
        Setup("XREADGROUP", "GROUP", "workers", "bob", "COUNT", "5", "STREAMS", "s", ">");
        Setup("XACK", "s", "workers", "2-1", "3-1");
    }

    /// <summary>The bulk string of a raw RESP reply.</summary>
    private static byte[] Bulk(byte[] reply)
    {
        int start = Array.IndexOf(reply, (byte)'\n') + 1;
        return reply[start..^2];
    }

    private void SameStream(string key)
    {
        var (redis, ours) = Clients;
        foreach (string[] command in new[] { new[] { "XRANGE", key, "-", "+" }, ["XINFO", "STREAM", key, "FULL", "COUNT", "0"] })
        {
            string e = StreamFuzzDifferentialTests.Mask(RespTree.Parse(redis.Call(command))).ToString();
            string a = StreamFuzzDifferentialTests.Mask(RespTree.Parse(ours.Call(command))).ToString();
            Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
        }
    }

    private static byte[][] Restore(string key, byte[] payload) => [Encoding.ASCII.GetBytes("RESTORE"), Encoding.ASCII.GetBytes(key), "0"u8.ToArray(), payload];

    [SkippableFact]
    public void RedisPayload_RestoresTheSameStreamInBoth()
    {
        RequireRedis();
        byte[] payload = Bulk(Clients.Redis.Call("DUMP", "s"));
        Same(Restore("copy", payload));
        SameStream("copy");
    }

    [SkippableFact]
    public void OurPayload_RestoresTheSameStreamInBoth()
    {
        RequireRedis();
        // Ours first from Redis's payload, so both hold identical delivery times; then our own DUMP of it goes both ways.
        Same(Restore("copy", Bulk(Clients.Redis.Call("DUMP", "s"))));
        byte[] ours = Bulk(Clients.Ours.Call("DUMP", "copy"));
        Same(Restore("again", ours));
        SameStream("again");
        Same("XREADGROUP", "GROUP", "workers", "carol", "COUNT", "3", "STREAMS", "again", ">");
    }

    [SkippableFact]
    public void Restore_OfAStreamOverAnExistingKey_IsBusyKey()
    {
        RequireRedis();
        Same(Restore("s", Bulk(Clients.Redis.Call("DUMP", "s"))));
    }
}
