using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>MEMORY and OBJECT against real Redis 7.0.15: HELP texts, arities, PURGE, STATS's field names, OBJECT REFCOUNT of shared integers.</summary>
public sealed class MemoryDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void Help_AndArities()
    {
        SameEach("MEMORY HELP", "MEMORY HELP x", "MEMORY NOSUCH", "MEMORY DOCTOR x", "MEMORY STATS x", "MEMORY PURGE x",
            "MEMORY MALLOC-STATS x", "MEMORY PURGE", "OBJECT HELP", "OBJECT HELP x", "OBJECT NOSUCH k");
    }

    [SkippableFact]
    public void Stats_HasRedisFieldNamesInOrder()
    {
        Setup("SET", "k", "v");
        foreach (var protocol in new[] { "2", "3" })
        {
            Setup("HELLO", protocol);
            var (redis, ours) = Clients;
            Assert.Equal(FieldNames(redis.Call("MEMORY", "STATS")), FieldNames(ours.Call("MEMORY", "STATS")));
        }
    }

    /// <summary>The names in a MEMORY STATS reply: the bulk strings that are not values (values are integers, doubles or nested maps).</summary>
    private static string FieldNames(byte[] reply)
    {
        var lines = Encoding.UTF8.GetString(reply).Split("\r\n");
        var names = new List<string>();
        for (int i = 0; i < lines.Length - 1; i++)
            if (lines[i].StartsWith('$') && char.IsLetter(lines[i + 1].FirstOrDefault())) names.Add(lines[i + 1]);
        // RESP2 sends doubles as bulk strings: digits, never names.
        return string.Join(",", names);
    }

    [SkippableFact]
    public void Doctor_ReplyType()
    {
        RequireRedis();
        var (redis, ours) = Clients;
        Assert.Equal((char)redis.Call("MEMORY", "DOCTOR")[0], (char)ours.Call("MEMORY", "DOCTOR")[0]);
        Setup("HELLO", "3");
        Assert.Equal((char)redis.Call("MEMORY", "DOCTOR")[0], (char)ours.Call("MEMORY", "DOCTOR")[0]);
    }

    [SkippableFact]
    public void ObjectRefCount_SharedIntegers()
    {
        SameEach("SET small 5", "SET zero 0", "SET edge 9999", "SET big 10000", "SET neg -1", "SET padded 05", "SET word hello", "RPUSH list 1",
            "OBJECT REFCOUNT small", "OBJECT REFCOUNT zero", "OBJECT REFCOUNT edge", "OBJECT REFCOUNT big", "OBJECT REFCOUNT neg",
            "OBJECT REFCOUNT padded", "OBJECT REFCOUNT word", "OBJECT REFCOUNT list", "OBJECT REFCOUNT missing");
    }
}
