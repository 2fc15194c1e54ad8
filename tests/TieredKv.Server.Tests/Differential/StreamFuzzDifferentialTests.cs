using System.Globalization;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// Random sequences of stream and consumer-group commands sent to Redis and to ours, every reply compared (times and
/// the radix-tree counters, which only Redis's memory layout defines, masked), with the full state compared as it goes.
/// </summary>
public sealed class StreamFuzzDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static readonly RespTree Zero = RespTree.Parse(":0\r\n"u8.ToArray());

    private static RespTree Mask(RespTree tree)
    {
        tree = StreamGroupDifferentialTests.Mask(tree);
        if (!tree.IsAggregate) return tree;
        var children = tree.Children.Select(Mask).ToList();
        for (int i = 0; i + 1 < children.Count; i++)
            if (children[i].Text is "radix-tree-keys" or "radix-tree-nodes" && children[i + 1].Type == ':') children[i + 1] = Zero;
        return tree.With(children);
    }

    private void SameMasked(params string[] command)
    {
        var (redis, ours) = Clients;
        string e = Mask(RespTree.Parse(redis.Call(command))).ToString(), a = Mask(RespTree.Parse(ours.Call(command))).ToString();
        Assert.True(e == a, $"{string.Join(' ', command)}\n  redis:    {e}\n  tieredkv: {a}");
    }

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void RandomStreamOperations_MatchRedis(int seed)
    {
        RequireRedis();
        var rng = new Random(seed);
        string[] groups = ["g1", "g2"];
        string[] consumers = ["c1", "c2", "c3"];
        long ms = 1;
        SameMasked("XGROUP", "CREATE", "s", "g1", "$", "MKSTREAM");
        SameMasked("XGROUP", "CREATE", "s", "g2", "0");
        // Half the IDs near the end of the stream, so deletions empty tail nodes too.
        string Id() => $"{(rng.Next(2) == 0 ? rng.Next(1, (int)ms + 2) : rng.Next(Math.Max(1, (int)ms - 20), (int)ms + 2))}-{rng.Next(0, 3)}";
        for (int step = 0; step < 800; step++)
        {
            string g = groups[rng.Next(groups.Length)], c = consumers[rng.Next(consumers.Length)];
            int op = rng.Next(100);
            string[] command = op switch
            {
                < 35 => ["XADD", "s", $"{ms += rng.Next(0, 2)}-*", "f", N(rng.Next(1000)), .. (rng.Next(4) == 0 ? new[] { "x", new string('v', rng.Next(300)) } : [])],
                < 45 => ["XDEL", "s", Id(), Id(), Id()],
                < 49 => rng.Next(3) switch
                {
                    0 => ["XTRIM", "s", "MAXLEN", "~", N(rng.Next(0, 200))],
                    1 => ["XTRIM", "s", "MINID", rng.Next(2) == 0 ? "=" : "~", N(rng.Next(1, (int)ms + 1))],
                    _ => ["XTRIM", "s", "MAXLEN", "~", N(rng.Next(0, 200)), "LIMIT", N(rng.Next(0, 300))],
                },
                < 50 => ["XTRIM", "s", "MAXLEN", N(rng.Next(50, 300))],
                < 60 => ["XREADGROUP", "GROUP", g, c, "COUNT", N(rng.Next(1, 6)), .. (rng.Next(5) == 0 ? new[] { "NOACK" } : []), "STREAMS", "s", ">"],
                < 64 => ["XREADGROUP", "GROUP", g, c, "COUNT", N(rng.Next(0, 4)), "STREAMS", "s", Id()],
                < 72 => ["XACK", "s", g, Id(), Id(), Id()],
                < 77 => ["XCLAIM", "s", g, c, "0", Id(), Id(), "JUSTID", .. (rng.Next(3) == 0 ? new[] { "FORCE" } : [])],
                < 80 => ["XCLAIM", "s", g, c, "0", Id(), "RETRYCOUNT", N(rng.Next(5))],
                < 84 => ["XAUTOCLAIM", "s", g, c, "0", Id(), "COUNT", N(rng.Next(1, 5)), "JUSTID"],
                < 86 => ["XGROUP", "SETID", "s", g, Id(), .. (rng.Next(2) == 0 ? new[] { "ENTRIESREAD", N(rng.Next(0, 50)) } : [])],
                < 88 => ["XGROUP", "DELCONSUMER", "s", g, c],
                < 89 => ["XGROUP", "CREATECONSUMER", "s", g, c],
                < 93 => ["XPENDING", "s", g],
                < 96 => ["XINFO", "GROUPS", "s"],
                < 98 => ["XINFO", "STREAM", "s"],
                _ => ["XRANGE", "s", "-", "+", "COUNT", N(rng.Next(1, 20))],
            };
            SameMasked(command);
            if (step % 50 == 49)
            {
                SameMasked("XRANGE", "s", "-", "+");
                SameMasked("XINFO", "STREAM", "s", "FULL", "COUNT", "0");
            }
        }
    }
}
