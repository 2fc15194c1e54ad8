using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence of two strings.</summary>
internal static class LcsCommand
{
    public static void Register(CommandTable t) => t.Add(new("lcs", -3, CommandFlags.ReadOnly, 1, 2, 1, Lcs));

    private static byte[] Value(CommandContext c, int index)
    {
        try
        {
            return c.Db.Get(c.Args[index]) ?? [];
        }
        catch (WrongTypeException)
        {
            throw new KvException("ERR The specified keys must contain string values");
        }
    }

    private static void Lcs(CommandContext c)
    {
        byte[] a = Value(c, 1), b = Value(c, 2);
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
        long tableBytes = ((long)a.Length + 1) * ((long)b.Length + 1) * sizeof(uint);
        if (tableBytes > c.Server.Options.ProtoMaxBulkLen)
            throw new KvException("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");

        var table = Table(a, b);
        int width = b.Length + 1;
        int length = (int)table[a.Length * width + b.Length];
        if (getLength && !getIndexes)
        {
            c.Reply.WriteInteger(length);
            return;
        }

        var text = new byte[length];
        var matches = new List<(int AStart, int AEnd, int BStart, int BEnd)>();
        int i = a.Length, k = b.Length, left = length;
        int aStart = -1, aEnd = 0, bStart = 0, bEnd = 0;
        // Walk back from the end: runs of matches that advance both strings together make one range.
        while (i > 0 && k > 0)
        {
            bool emit = false;
            if (a[i - 1] == b[k - 1])
            {
                text[--left] = a[i - 1];
                if (aStart < 0) (aStart, aEnd, bStart, bEnd) = (i - 1, i - 1, k - 1, k - 1);
                else if (aStart == i && bStart == k) { aStart--; bStart--; }
                else emit = true;
                if (aStart == 0 || bStart == 0) emit = true;
                i--;
                k--;
            }
            else
            {
                if (table[(i - 1) * width + k] > table[i * width + k - 1]) i--;
                else k--;
                if (aStart >= 0) emit = true;
            }
            if (emit)
            {
                if (aEnd - aStart + 1 >= minMatchLength) matches.Add((aStart, aEnd, bStart, bEnd));
                aStart = -1;
            }
        }

        if (!getIndexes)
        {
            c.Reply.WriteBulk(text);
            return;
        }
        c.Reply.WriteMapHeader(2);
        c.Reply.WriteBulk("matches"u8);
        c.Reply.WriteArrayHeader(matches.Count);
        foreach (var m in matches)
        {
            c.Reply.WriteArrayHeader(withMatchLength ? 3 : 2);
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(m.AStart);
            c.Reply.WriteInteger(m.AEnd);
            c.Reply.WriteArrayHeader(2);
            c.Reply.WriteInteger(m.BStart);
            c.Reply.WriteInteger(m.BEnd);
            if (withMatchLength) c.Reply.WriteInteger(m.AEnd - m.AStart + 1);
        }
        c.Reply.WriteBulk("len"u8);
        c.Reply.WriteInteger(length);
    }

    /// <summary>The dynamic-programming table: entry (i, j) is the LCS length of a[..i] and b[..j].</summary>
    private static uint[] Table(byte[] a, byte[] b)
    {
        int width = b.Length + 1;
        var table = new uint[(a.Length + 1) * width];
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                table[i * width + j] = a[i - 1] == b[j - 1]
                    ? table[(i - 1) * width + j - 1] + 1
                    : Math.Max(table[(i - 1) * width + j], table[i * width + j - 1]);
            }
        }
        return table;
    }
}
