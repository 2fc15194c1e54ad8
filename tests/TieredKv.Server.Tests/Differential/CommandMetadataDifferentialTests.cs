using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>
/// COMMAND INFO and COMMAND DOCS of every command and subcommand we have that redis-server 7.0.15 has too are
/// Redis's bytes, in RESP2 and RESP3. Redis orders a container's subcommands by its hash table, which changes
/// from run to run, so those are compared as sets; and a container lists only the subcommands we have, so Redis's
/// reply is compared without the ones we lack (none today) and ours without our own (OBJECT TIER, and CLIENT
/// NO-TOUCH and SETINFO from Redis 7.2, which 7.0.15 does not know). No other difference is allowed: there is no
/// exclusion list, because today no command's arity, flags or key positions deliberately differ from Redis's.
/// </summary>
public sealed class CommandMetadataDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void Info_OfEveryCommand_IsRedis_Resp2() => AssertEveryCommandSame("INFO");

    [SkippableFact]
    public void Info_OfEveryCommand_IsRedis_Resp3()
    {
        Setup("HELLO", "3");
        AssertEveryCommandSame("INFO");
    }

    [SkippableFact]
    public void Docs_OfEveryCommand_IsRedis_Resp2() => AssertEveryCommandSame("DOCS");

    [SkippableFact]
    public void Docs_OfEveryCommand_IsRedis_Resp3()
    {
        Setup("HELLO", "3");
        AssertEveryCommandSame("DOCS");
    }

    [SkippableFact]
    public void Info_OfSeveralCommands_IsRedis()
    {
        SameEach("COMMAND INFO get set nosuch zunionstore", "COMMAND INFO GET", "COMMAND DOCS GET nosuch LPUSH");
        Setup("HELLO", "3");
        SameEach("COMMAND INFO get nosuch georadius", "COMMAND DOCS get nosuch zadd");
    }

    /// <summary>
    /// Key extraction follows the key specs: COMMAND GETKEYSANDFLAGS of every shared command, with its minimum number
    /// of arguments and with a few more, names the keys (or refuses) as Redis does.
    /// </summary>
    [SkippableFact]
    public void GetKeysAndFlags_OfEveryCommand_IsRedis()
    {
        RequireRedis();
        var (redis, ours) = Clients;
        var ourNames = ListNames(ours);
        var shared = ourNames.Intersect(ListNames(redis), StringComparer.Ordinal).Where(n => !ourNames.Any(s => s.StartsWith(n + "|", StringComparison.Ordinal)));
        var differences = new List<string>();
        foreach (var name in shared.Order(StringComparer.Ordinal))
        {
            int arity = (int)Math.Abs(RespTree.Parse(redis.Call("COMMAND", "INFO", name)).Children[0].Children[1].Integer!.Value);
            string[] words = name.Split('|');
            foreach (int count in new[] { arity, arity + 1, arity + 3 })
            {
                // Numbers where a count may be: "1" names one key after a numkeys argument.
                string[] line = ["COMMAND", "GETKEYSANDFLAGS", .. words, .. Enumerable.Range(words.Length, Math.Max(0, count - words.Length)).Select(i => i % 2 == 0 ? "1" : $"k{i}")];
                string expected = RespTree.Parse(redis.Call(line)).ToString(), actual = RespTree.Parse(ours.Call(line)).ToString();
                if (expected != actual) differences.Add($"{string.Join(' ', line)}\n  redis:    {expected}\n  tieredkv: {actual}");
            }
        }
        Assert.True(differences.Count == 0, $"{differences.Count} differ:\n{string.Join("\n", differences)}");
    }

    [SkippableFact]
    public void GetKeysAndFlags_OptionsAndKeywords_AreRedis()
    {
        SameEach(
            "COMMAND GETKEYSANDFLAGS set k GET",
            "COMMAND GETKEYSANDFLAGS set k v get",
            "COMMAND GETKEYSANDFLAGS bitfield k GET u8 0 OVERFLOW WRAP GET u8 8",
            "COMMAND GETKEYSANDFLAGS bitfield k GET u8",
            "COMMAND GETKEYSANDFLAGS bitfield k GET u8 0 INCRBY u8 0 1",
            "COMMAND GETKEYSANDFLAGS georadius k 1 2 3 m STORE a STOREDIST b",
            "COMMAND GETKEYSANDFLAGS georadius k 1 2 3 m STORE a STORE b",
            "COMMAND GETKEYSANDFLAGS georadius k 1 2 3 m STORE",
            "COMMAND GETKEYSANDFLAGS georadiusbymember k m 3 km STOREDIST d",
            "COMMAND GETKEYSANDFLAGS pfmerge d",
            "COMMAND GETKEYSANDFLAGS pfmerge d s1 s2",
            "COMMAND GETKEYSANDFLAGS zinterstore d 2 a b WEIGHTS 1 2",
            "COMMAND GETKEYSANDFLAGS zinterstore d 3 a b",
            "COMMAND GETKEYSANDFLAGS zinterstore d -1 a b",
            "COMMAND GETKEYSANDFLAGS bzmpop 0 2 a b MIN",
            "COMMAND GETKEYS smove a b m",
            "COMMAND GETKEYS rename a b",
            "COMMAND GETKEYS msetnx a 1 b 2");
    }

    /// <summary>
    /// COMMAND LIST FILTERBY ACLCAT answers from Redis's categories: Redis's list, less the commands we do not have
    /// (commands of later Redis versions that Redis 7.0 lacks are left out of the comparison).
    /// </summary>
    [SkippableFact]
    public void List_FilterByAclCategory_IsRedis_ForOurCommands()
    {
        RequireRedis();
        var (redis, ours) = Clients;
        var ourNames = ListNames(ours);
        var redisNames = ListNames(redis);
        foreach (var category in new[] { "hash", "keyspace", "fast", "dangerous", "pubsub", "connection", "blocking", "nosuch" })
        {
            var expected = RespTree.Parse(redis.Call("COMMAND", "LIST", "FILTERBY", "ACLCAT", category)).Children.Select(n => n.Text!).Where(ourNames.Contains).Order(StringComparer.Ordinal);
            var actual = RespTree.Parse(ours.Call("COMMAND", "LIST", "FILTERBY", "ACLCAT", category)).Children.Select(n => n.Text!).Where(redisNames.Contains).Order(StringComparer.Ordinal);
            Assert.Equal(expected, actual);
        }
    }

    [SkippableFact]
    public void Containers_ListExactlyTheSubcommandsWeHave()
    {
        RequireRedis();
        var (_, ours) = Clients;
        var ourNames = ListNames(ours);
        foreach (var container in ourNames.Where(n => ourNames.Any(s => s.StartsWith(n + "|", StringComparison.Ordinal))))
        {
            var expected = ourNames.Where(s => s.StartsWith(container + "|", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var info = RespTree.Parse(ours.Call("COMMAND", "INFO", container)).Children[0];
            Assert.Equal(expected, info.Children[9].Children.Select(sub => sub.Children[0].Text!).Order(StringComparer.Ordinal));
            var docs = RespTree.Parse(ours.Call("COMMAND", "DOCS", container)).Children[1];
            var subDocs = Field(docs, "subcommands")!;
            Assert.Equal(expected, subDocs.Children.Where((_, i) => i % 2 == 0).Select(k => k.Text!).Order(StringComparer.Ordinal));
        }
    }

    [SkippableFact]
    public void Command_ListsEveryCommand_AndCountCountsThem()
    {
        RequireRedis();
        var (_, ours) = Clients;
        var topLevel = ListNames(ours).Where(n => !n.Contains('|')).Order(StringComparer.Ordinal).ToList();
        var all = RespTree.Parse(ours.Call("COMMAND"));
        Assert.Equal(topLevel, all.Children.Select(info => info.Children[0].Text!).Order(StringComparer.Ordinal));
        Assert.Equal($":{topLevel.Count}\r\n", Encoding.ASCII.GetString(ours.Call("COMMAND", "COUNT")));
        var docs = RespTree.Parse(ours.Call("COMMAND", "DOCS"));
        Assert.Equal(topLevel, docs.Children.Where((_, i) => i % 2 == 0).Select(k => k.Text!).Order(StringComparer.Ordinal));
        // Each entry of COMMAND is that command's COMMAND INFO.
        foreach (var info in all.Children)
            Assert.Equal(RespTree.Parse(ours.Call("COMMAND", "INFO", info.Children[0].Text!)).Children[0].ToString(), info.ToString());
    }

    [SkippableFact]
    public void OwnSubcommands_HaveGeneratedDocs()
    {
        RequireRedis();
        var (_, ours) = Clients;
        var docs = RespTree.Parse(ours.Call("COMMAND", "DOCS", "object|tier")).Children[1];
        Assert.Contains("storage tier", Field(docs, "summary")!.Text, StringComparison.Ordinal);
        Assert.Equal("generic", Field(docs, "group")!.Text);
        var info = RespTree.Parse(ours.Call("COMMAND", "INFO", "object|tier")).Children[0];
        Assert.Equal(("object|tier", 3L), (info.Children[0].Text, info.Children[1].Integer));
    }

    /// <summary>
    /// Compares COMMAND <paramref name="what"/> of each name both servers list (top-level and "container|sub"),
    /// collecting every difference so one run shows them all.
    /// </summary>
    private void AssertEveryCommandSame(string what)
    {
        RequireRedis();
        var (redis, ours) = Clients;
        var ourNames = ListNames(ours);
        var shared = ourNames.Intersect(ListNames(redis), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(shared.Count > 100, $"only {shared.Count} commands in common");
        var differences = new List<string>();
        foreach (var name in shared)
        {
            string expected = Canonical(what, redis.Call("COMMAND", what, name), shared);
            string actual = Canonical(what, ours.Call("COMMAND", what, name), shared);
            if (expected != actual) differences.Add($"COMMAND {what} {name}\n  redis:    {expected}\n  tieredkv: {actual}");
        }
        Assert.True(differences.Count == 0, $"{differences.Count} differ:\n{string.Join("\n", differences)}");
    }

    /// <summary>The reply with a container's subcommands sorted and only those in <paramref name="shared"/> kept.</summary>
    private static string Canonical(string what, byte[] reply, IReadOnlyCollection<string> shared)
    {
        var tree = RespTree.Parse(reply);
        if (what == "INFO")
        {
            var info = tree.Children[0];
            var subs = info.Children[9];
            var kept = subs.Children.Where(s => shared.Contains(s.Children[0].Text!)).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToList();
            var fields = info.Children.ToList();
            fields[9] = subs.With(kept);
            return tree.With([info.With(fields)]).ToString();
        }
        var docs = tree.Children[1];
        var docFields = docs.Children.ToList();
        for (int i = 0; i + 1 < docFields.Count; i += 2)
        {
            if (docFields[i].Text != "subcommands") continue;
            var pairs = docFields[i + 1].Children.Chunk(2)
                .Where(p => shared.Contains(p[0].Text!))
                .OrderBy(p => p[0].Text, StringComparer.Ordinal)
                .SelectMany(p => p)
                .ToList();
            docFields[i + 1] = docFields[i + 1].With(pairs);
        }
        return tree.With([tree.Children[0], docs.With(docFields)]).ToString();
    }

    /// <summary>A map's value by its key (maps and RESP2's flattened maps alike).</summary>
    private static RespTree? Field(RespTree map, string key)
    {
        for (int i = 0; i + 1 < map.Children.Count; i += 2)
            if (map.Children[i].Text == key) return map.Children[i + 1];
        return null;
    }

    private static HashSet<string> ListNames(RawClient client) =>
        RespTree.Parse(client.Call("COMMAND", "LIST")).Children.Select(n => n.Text!).ToHashSet(StringComparer.Ordinal);
}
