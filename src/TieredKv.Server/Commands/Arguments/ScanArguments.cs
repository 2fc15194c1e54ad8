using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Numbers;

namespace TieredKv.Server.Commands.Arguments;

/// <summary>
/// The cursor and MATCH/COUNT options of SCAN, HSCAN, SSCAN and ZSCAN (and SCAN's TYPE), parsed with
/// Redis's rules. <see cref="MatchesNothing"/>: a TYPE Redis does not know, which matches no key (7.0).
/// </summary>
internal readonly record struct ScanArguments(ulong Cursor, byte[] Pattern, int Count, KeyType? Type = null, bool MatchesNothing = false)
{
    /// <summary>Parses the cursor at <paramref name="cursorIndex"/> and the options after it; TYPE only when <paramref name="allowType"/> (SCAN).</summary>
    public static ScanArguments Parse(CommandContext c, int cursorIndex, bool allowType = false)
    {
        ulong cursor = ParseCursor(c.Args[cursorIndex]);
        byte[] pattern = [];
        int count = 10;
        KeyType? type = null;
        bool unknownType = false;
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
            else if (allowType && c.Args.Is(i, "TYPE"u8))
            {
                unknownType = !KeyTypeNames.TryParse(c.Text(++i), out var known);
                type = unknownType ? null : known;
            }
            else throw CommandContext.Syntax();
        }
        return new ScanArguments(cursor, pattern, count, type, unknownType);
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
