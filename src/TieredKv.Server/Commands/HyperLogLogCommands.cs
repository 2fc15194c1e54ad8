using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The HyperLogLog commands PFADD, PFCOUNT and PFMERGE; the semantics are the library's (<see cref="HyperLogLogOperations.PfAdd"/>).</summary>
internal static class HyperLogLogCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("pfadd", -2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, PfAdd));
        t.Add(new("pfcount", -2, CommandFlags.ReadOnly, 1, -1, 1, PfCount));
        t.Add(new("pfmerge", -2, CommandFlags.Write, 1, -1, 1, PfMerge));
    }

    private static void PfAdd(CommandContext c) => c.Reply.WriteInteger(c.Db.PfAdd(c.Args[1], c.ArgList(2)) ? 1 : 0);

    private static void PfCount(CommandContext c) => c.Reply.WriteInteger(c.Db.PfCount(c.ArgList(1)));

    private static void PfMerge(CommandContext c)
    {
        c.Db.PfMerge(c.Arg(1), c.ArgList(2));
        c.Reply.WriteOk();
    }
}
