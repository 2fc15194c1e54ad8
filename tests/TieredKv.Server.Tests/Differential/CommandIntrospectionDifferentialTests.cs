using System.Text;
using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>COMMAND against real Redis 7.0.15: GETKEYS and GETKEYSANDFLAGS, their errors, LIST's subcommand names and filters, HELP.</summary>
public sealed class CommandIntrospectionDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    [SkippableFact]
    public void GetKeys_FixedPositions()
    {
        SameEach(
            "COMMAND GETKEYS get a",
            "COMMAND GETKEYS mset a 1 b 2",
            "COMMAND GETKEYS mset a 1 b",
            "COMMAND GETKEYS blpop a b 0",
            "COMMAND GETKEYS bitop and d a b",
            "COMMAND GETKEYS object encoding k",
            "COMMAND GETKEYS memory usage k");
    }

    [SkippableFact]
    public void GetKeys_MovableKeys()
    {
        SameEach(
            "COMMAND GETKEYS zunionstore d 2 a b",
            "COMMAND GETKEYS zunion 2 a b",
            "COMMAND GETKEYS lmpop 2 a b left",
            "COMMAND GETKEYS blmpop 0 2 a b left",
            "COMMAND GETKEYS sintercard 1 a",
            "COMMAND GETKEYS georadius k 1 2 3 m STORE d",
            "COMMAND GETKEYS zunion abc a",
            "COMMAND GETKEYS zunion 5 a",
            "COMMAND GETKEYS zunion 0 a");
    }

    [SkippableFact]
    public void GetKeys_Errors()
    {
        SameEach(
            "COMMAND GETKEYS",
            "COMMAND GETKEYS get",
            "COMMAND GETKEYS nosuch a",
            "COMMAND GETKEYS get a b",
            "COMMAND GETKEYS client id",
            "COMMAND GETKEYS config get x",
            "COMMAND GETKEYS ping x",
            "COMMAND GETKEYS object nosuch",
            "COMMAND GETKEYS ssubscribe a b",
            "COMMAND GETKEYSANDFLAGS spublish a b",
            "COMMAND GETKEYSANDFLAGS nosuch");
    }

    [SkippableFact]
    public void GetKeysAndFlags_PerKeySpec()
    {
        SameEach(
            "COMMAND GETKEYSANDFLAGS get a",
            "COMMAND GETKEYSANDFLAGS set a b",
            "COMMAND GETKEYSANDFLAGS set a b GET",
            "COMMAND GETKEYSANDFLAGS bitfield a GET u8 0",
            "COMMAND GETKEYSANDFLAGS bitfield a SET u8 0 1",
            "COMMAND GETKEYSANDFLAGS del a b",
            "COMMAND GETKEYSANDFLAGS mset a 1 b 2",
            "COMMAND GETKEYSANDFLAGS lmove a b left right",
            "COMMAND GETKEYSANDFLAGS zunionstore d 2 a b",
            "COMMAND GETKEYSANDFLAGS georadius k 1 2 3 m STORE d",
            "COMMAND GETKEYSANDFLAGS exists a",
            "COMMAND GETKEYSANDFLAGS copy a b");
    }

    [SkippableFact]
    public void GetKeysAndFlags_Resp3()
    {
        Setup("HELLO", "3");
        SameEach("COMMAND GETKEYSANDFLAGS lmove a b left right", "COMMAND GETKEYS get a");
    }

    [SkippableFact]
    public void List_FiltersByPattern_IncludingSubcommands()
    {
        // Redis lists in its hash table's order: compare as sets.
        SameUnordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "pubsub*");
        SameUnordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "COMMAND|*");
        SameUnordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "client|*tracking*");
        SameUnordered("COMMAND", "LIST", "FILTERBY", "PATTERN", "memory*");
        SameEach("COMMAND LIST FILTERBY MODULE x", "COMMAND LIST FILTERBY", "COMMAND LIST foo", "COMMAND LIST FILTERBY foo bar", "COMMAND LIST FILTERBY PATTERN x extra");
    }

    [SkippableFact]
    public void List_NamesSubcommandsWithBar()
    {
        RequireRedis();
        var (_, ours) = Clients;
        var names = Encoding.UTF8.GetString(ours.Call("COMMAND", "LIST")).Split("\r\n");
        Assert.Contains("client|id", names);
        Assert.Contains("config|get", names);
        Assert.Contains("command|getkeys", names);
        Assert.Contains("get", names);
    }

    [SkippableFact]
    public void Count_IsTopLevelOnly()
    {
        RequireRedis();
        var (_, ours) = Clients;
        var list = Encoding.UTF8.GetString(ours.Call("COMMAND", "LIST")).Split("\r\n").Where(l => l.Length > 0 && l[0] != '*' && l[0] != '$').ToList();
        Assert.Equal($":{list.Count(n => !n.Contains('|'))}\r\n", Encoding.UTF8.GetString(ours.Call("COMMAND", "COUNT")));
        Same("COMMAND", "COUNT", "x");
    }

    [SkippableFact]
    public void Info_UnknownCommand_IsNull_ContainerListsSubcommands()
    {
        SameEach("COMMAND INFO nosuch", "COMMAND INFO client|nosuch", "COMMAND DOCS nosuch");
        Setup("HELLO", "3");
        Same("COMMAND", "INFO", "nosuch");
        RequireRedis();
        var (_, ours) = Clients;
        string info = Encoding.UTF8.GetString(ours.Call("COMMAND", "INFO", "pubsub"));
        foreach (var sub in new[] { "pubsub|channels", "pubsub|numsub", "pubsub|numpat", "pubsub|shardchannels", "pubsub|shardnumsub", "pubsub|help" })
            Assert.Contains($"${sub.Length}\r\n{sub}\r\n", info);
        Assert.Contains("$10\r\nconfig|get\r\n", Encoding.UTF8.GetString(ours.Call("COMMAND", "INFO", "config|get")));
    }

    [SkippableFact]
    public void Help_IsRedisText()
    {
        SameEach("COMMAND HELP", "COMMAND HELP x", "COMMAND NOSUCH", "PUBSUB HELP", "CLIENT HELP", "OBJECT HELP", "MEMORY HELP");
    }
}
