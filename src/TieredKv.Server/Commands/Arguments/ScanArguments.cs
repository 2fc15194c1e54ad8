using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

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

    /// <summary>The cursor as Redis's strtoul reads it (<see cref="RedisNumbers.TryParseCursor"/>), or its error.</summary>
    public static ulong ParseCursor(ReadOnlySpan<byte> text) =>
        RedisNumbers.TryParseCursor(text, out ulong cursor) ? cursor : throw new KvException("ERR invalid cursor");

    /// <summary>Writes the two-element SCAN reply header and the next cursor; the caller writes the element array.</summary>
    public static void WriteCursor(CommandContext c, ulong cursor)
    {
        c.Reply.WriteArrayHeader(2);
        c.Reply.WriteBulk(cursor.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
