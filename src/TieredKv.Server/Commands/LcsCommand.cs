using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Types.Strings;

namespace TieredKv.Server.Commands;

/// <summary>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]; the algorithm is the library's (<see cref="LongestCommonSubsequence"/>).</summary>
internal static class LcsCommand
{
    public static void Register(CommandTable t) => t.Add(new("lcs", -3, CommandFlags.ReadOnly, 1, 2, 1, Lcs));

    private static void Lcs(CommandContext c)
    {
        // As Redis: the keys are read (and type-checked) before the options are parsed.
        byte[] a = c.Db.LcsString(c.Args[1]), b = c.Db.LcsString(c.Args[2]);
        bool getLength = false, getIndexes = false, withMatchLength = false;
        long minMatchLength = 0;
        for (int j = 3; j < c.ArgCount; j++)
        {
            if (c.Args.Is(j, "IDX"u8)) getIndexes = true;
            else if (c.Args.Is(j, "LEN"u8)) getLength = true;
            else if (c.Args.Is(j, "WITHMATCHLEN"u8)) withMatchLength = true;
            else if (c.Args.Is(j, "MINMATCHLEN"u8) && j + 1 < c.ArgCount)
            {
                minMatchLength = Math.Max(0, c.Integer(++j));
            }
            else throw CommandContext.Syntax();
        }
        if (getIndexes && getLength) throw new KvException("ERR If you want both the length and indexes, please just use IDX.");
        if (LongestCommonSubsequence.TableBytes(a.Length, b.Length) > c.Server.Options.ProtoMaxBulkLen)
            throw new KvException("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");

        var result = LongestCommonSubsequence.Compute(a, b, minMatchLength);
        if (getLength && !getIndexes)
        {
            c.Reply.WriteInteger(result.Length);
            return;
        }
        if (!getIndexes)
        {
            c.Reply.WriteBulk(result.Text);
            return;
        }
        c.Reply.WriteMapHeader(2);
        c.Reply.WriteBulk("matches"u8);
        c.Reply.WriteArrayHeader(result.Matches.Count);
        foreach (var m in result.Matches)
        {
            c.Reply.WriteArrayHeader(withMatchLength ? 3 : 2);
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(m.AStart);
            c.Reply.WriteInteger(m.AEnd);
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(m.BStart);
            c.Reply.WriteInteger(m.BEnd);
            if (withMatchLength) c.Reply.WriteInteger(m.Length);
        }
        c.Reply.WriteBulk("len"u8);
        c.Reply.WriteInteger(result.Length);
    }
}
