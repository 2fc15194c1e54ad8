using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands.Arguments;

/// <summary>The cursor and MATCH/COUNT options of HSCAN, SSCAN and ZSCAN, parsed with Redis's rules.</summary>
internal readonly record struct ScanArguments(ulong Cursor, byte[] Pattern, int Count)
{
    /// <summary>Parses the cursor at <paramref name="cursorIndex"/> and the options after it.</summary>
    public static ScanArguments Parse(CommandContext c, int cursorIndex)
    {
        ulong cursor = ParseCursor(c.Args[cursorIndex]);
        byte[] pattern = [];
        int count = 10;
        for (int i = cursorIndex + 1; i < c.ArgCount; i++)
        {
            if (i + 1 >= c.ArgCount) throw CommandContext.Syntax();
            if (c.Args.Is(i, "MATCH"u8)) pattern = c.Arg(++i);
            else if (c.Args.Is(i, "COUNT"u8))
            {
                long n = c.Integer(++i);
                if (n < 1) throw CommandContext.Syntax();
                count = (int)Math.Min(n, int.MaxValue);
            }
            else throw CommandContext.Syntax();
        }
        return new ScanArguments(cursor, pattern, count);
    }

    /// <summary>
    /// The cursor as Redis's strtoul reads it: an optional sign (a negative cursor wraps modulo 2^64)
    /// and decimal digits that fit in 64 bits.
    /// </summary>
    private static ulong ParseCursor(ReadOnlySpan<byte> text)
    {
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+') text = text[1..];
        if (!ulong.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong cursor))
            throw new KvException("ERR invalid cursor");
        return negative ? unchecked(0 - cursor) : cursor;
    }

    /// <summary>Writes the two-element SCAN reply header and the next cursor; the caller writes the element array.</summary>
    public static void WriteCursor(CommandContext c, ulong cursor)
    {
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulk(cursor.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
