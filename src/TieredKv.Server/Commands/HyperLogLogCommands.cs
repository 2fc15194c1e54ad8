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
        t.Add(new("pfselftest", 1, CommandFlags.Admin, 0, 0, 0, PfSelfTest));
        t.Add(new("pfdebug", 3, CommandFlags.Write | CommandFlags.Admin, 2, 2, 1, PfDebug));
    }

    private static void PfAdd(CommandContext c) => c.Reply.WriteInteger(c.Db.PfAdd(c.Args[1], c.ArgList(2)) ? 1 : 0);

    private static void PfCount(CommandContext c) => c.Reply.WriteInteger(c.Db.PfCount(c.ArgList(1)));

    private static void PfMerge(CommandContext c)
    {
        c.Db.PfMerge(c.Arg(1), c.ArgList(2));
        c.Reply.WriteOk();
    }

    private static void PfSelfTest(CommandContext c)
    {
        if (HyperLogLogOperations.SelfTest(Random.Shared.Next()) is { } failure) throw new KvException(failure);
        c.Reply.WriteOk();
    }

    /// <summary>PFDEBUG GETREG|DECODE|ENCODING|TODENSE key, with Redis's errors.</summary>
    private static void PfDebug(CommandContext c)
    {
        var key = c.Args[2];
        // Only GETREG and TODENSE may rewrite the key; the others change nothing.
        c.ChangedNothing = true;
        if (c.Args.Is(1, "GETREG"u8))
        {
            var registers = c.Db.PfDebugRegisters(key);
            c.Reply.WriteArrayHeader(registers.Length);
            foreach (byte r in registers) c.Reply.WriteInteger(r);
        }
        else if (c.Args.Is(1, "DECODE"u8)) c.Reply.WriteBulk(c.Db.PfDebugDecode(key));
        else if (c.Args.Is(1, "ENCODING"u8)) c.Reply.WriteSimpleString(c.Db.PfDebugEncoding(key));
        else if (c.Args.Is(1, "TODENSE"u8))
        {
            bool converted = c.Db.PfDebugToDense(key);
            c.ChangedNothing = !converted;
            c.Reply.WriteInteger(converted ? 1 : 0);
        }
        else
        {
            c.Db.PfDebugEncoding(key); // Redis looks the key up first: a missing one or another type is the error
            throw new KvException($"ERR Unknown PFDEBUG subcommand '{c.Text(1)}'");
        }
    }
}
