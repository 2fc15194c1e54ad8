using System.Globalization;

namespace TieredKv.Rdb.Tests.Harness;

/// <summary>Streams built in a real redis-server with the commands that shape their RDB form.</summary>
internal static class StreamFixtures
{
    /// <summary>
    /// Entries with varied field sets (the first node's master fields, others, repeated fields, binary and empty
    /// values, integer-looking and long values), IDs whose sequence drops across a millisecond inside a node,
    /// XDEL'd entries inside nodes, XTRIM from the front, a raised last ID, and consumer groups with several
    /// consumers, pending entries (claimed, retried, of deleted entries), an idle consumer and unknown entries-read.
    /// </summary>
    public static void BuildRich(ValueClient c, string key, int count = 400, int seed = 1)
    {
        var rnd = new Random(seed);
        c.Call("XADD", key, "1-1", "a", "1", "b", "two");
        c.Call("XADD", key, "1-5", "a", "x", "b", "y");
        c.Call("XADD", key, "2-0", "other", "z");
        c.Call("XADD", key, "2-*", "a", "-7", "b", "007");
        var commands = new List<object[]>();
        for (int i = 0; i < count; i++)
        {
            object[] fields = i == 123 ? ["big", new string('B', 5000)] : (i % 6) switch
            {
                0 => ["a", Value(rnd, i), "b", Value(rnd, i + 1)],
                1 => ["name", Value(rnd, i)],
                2 => ["x", i.ToString(CultureInfo.InvariantCulture), "y", new string('y', 300 + i % 50), "z", ""],
                3 => ["dup", "1", "dup", "2"],
                4 => [new byte[] { 0, 0xff, (byte)i }, Bytes(rnd, 1 + i % 90)],
                _ => ["a", "same", "b", Value(rnd, i)],
            };
            commands.Add(["XADD", key, "*", .. fields]);
        }
        c.Pipeline(commands);
        var ids = c.Array("XRANGE", key, "-", "+").Cast<List<object?>>().Select(e => (byte[])e[0]!).ToList();
        for (int i = 10; i < ids.Count; i += 7) c.Call("XDEL", key, ids[i]);
        c.Call("XTRIM", key, "MINID", ids[3]);

        c.Call("XGROUP", "CREATE", key, "g1", "0");
        c.Call("XGROUP", "CREATE", key, "g2", "$");
        c.Call("XGROUP", "CREATE", key, "g3", ids[40], "ENTRIESREAD", "35");
        c.Call("XGROUP", "CREATE", key, "g4", ids[60]); // after XDELs: Redis cannot tell entries-read (nil)
        c.Call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "10", "STREAMS", key, ">");
        c.Call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "5", "STREAMS", key, ">");
        c.Call("XREADGROUP", "GROUP", "g1", "carol", "NOACK", "COUNT", "4", "STREAMS", key, ">");
        c.Call("XREADGROUP", "GROUP", "g1", "carol", "COUNT", "3", "STREAMS", key, ">");
        c.Call("XREADGROUP", "GROUP", "g3", "alice", "COUNT", "2", "STREAMS", key, ">");
        c.Call("XREADGROUP", "GROUP", "g4", "zed", "COUNT", "1", "STREAMS", key, ">");
        var alicePending = c.Array("XPENDING", key, "g1", "-", "+", "100", "alice").Cast<List<object?>>().Select(p => (byte[])p[0]!).ToList();
        var bobPending = c.Array("XPENDING", key, "g1", "-", "+", "100", "bob").Cast<List<object?>>().Select(p => (byte[])p[0]!).ToList();
        c.Call("XACK", key, "g1", alicePending[0], alicePending[2]);
        c.Call("XCLAIM", key, "g1", "dave", "0", bobPending[0], "RETRYCOUNT", "7");
        c.Call("XCLAIM", key, "g1", "dave", "0", bobPending[1], "TIME", "1700000000123");
        c.Call("XGROUP", "CREATECONSUMER", key, "g1", "erin");
        c.Call("XDEL", key, alicePending[3]); // still pending: a PEL entry of a deleted entry
        c.Call("XADD", key, "*", "late", "entry");
        var last = (byte[])((List<object?>)c.Array("XREVRANGE", key, "+", "-", "COUNT", "1")[0]!)[0]!;
        ulong lastMs = ulong.Parse(System.Text.Encoding.ASCII.GetString(last).Split('-')[0], CultureInfo.InvariantCulture);
        c.Call("XSETID", key, $"{lastMs + 1000}-3");
    }

    /// <summary>A stream made by XADD alone, so its nodes are exactly as Redis splits them.</summary>
    public static void BuildAppendOnly(ValueClient c, string key, int count, int seed = 2)
    {
        var rnd = new Random(seed);
        var commands = new List<object[]>();
        for (int i = 0; i < count; i++)
        {
            object[] fields = (i / 250 % 4) switch
            {
                0 => ["sensor", (i % 13).ToString(CultureInfo.InvariantCulture), "reading", Value(rnd, i)],
                1 => ["payload", new string('p', rnd.Next(1, 900))],
                2 => ["k1", "v", "k2", (-i).ToString(CultureInfo.InvariantCulture), "k3", Bytes(rnd, rnd.Next(0, 60))],
                _ => i % 2 == 0 ? ["sensor", "1", "reading", "2"] : ["other", Value(rnd, i)],
            };
            commands.Add(["XADD", key, "*", .. fields]);
        }
        c.Pipeline(commands);
    }

    private static object Value(Random rnd, int i) => (i % 5) switch
    {
        0 => i.ToString(CultureInfo.InvariantCulture),
        1 => "-" + (1L << (i % 62)).ToString(CultureInfo.InvariantCulture),
        2 => "+5",
        3 => new string('v', 64 + i % 4100),
        _ => Bytes(rnd, 1 + i % 40),
    };

    private static byte[] Bytes(Random rnd, int n)
    {
        var b = new byte[n];
        rnd.NextBytes(b);
        return b;
    }
}
