namespace TieredKv.Server.Scripting;

/// <summary>
/// Lua 5.1's string escapes in Lua 5.4's syntax. In a quoted string 5.1 takes a backslash before a character it does
/// not know as an escape for that character itself ("\." is ".", "\x41" is "x41"); 5.4 refuses most of them and reads
/// \x, \z and \u as escapes of its own. Scripts written for Redis (patterns such as '\.' among them) must compile and
/// mean the same, so those backslashes are dropped from the source before 5.4 compiles it. Only quoted strings change:
/// long strings and comments are passed over, and no line moves.
/// </summary>
internal static class Lua51Escapes
{
    /// <summary>The source with 5.1's unknown escapes resolved, or the same array when it has none.</summary>
    public static byte[] Rewrite(byte[] source)
    {
        List<int>? dropped = null;
        int i = 0, n = source.Length;
        while (i < n)
        {
            byte c = source[i];
            if (c == '-' && i + 1 < n && source[i + 1] == '-')
            {
                i += 2;
                if (LongBracketLevel(source, i) is var level and >= 0) i = SkipLongBracket(source, i, level);
                else while (i < n && source[i] != '\n' && source[i] != '\r') i++;
            }
            else if (c == '[' && LongBracketLevel(source, i) is var level and >= 0)
            {
                i = SkipLongBracket(source, i, level);
            }
            else if (c is (byte)'"' or (byte)'\'')
            {
                i = SkipQuoted(source, i, ref dropped);
            }
            else
            {
                i++;
            }
        }
        if (dropped == null) return source;
        var result = new byte[n - dropped.Count];
        int from = 0, to = 0;
        foreach (int backslash in dropped)
        {
            source.AsSpan(from, backslash - from).CopyTo(result.AsSpan(to));
            to += backslash - from;
            from = backslash + 1;
        }
        source.AsSpan(from).CopyTo(result.AsSpan(to));
        return result;
    }

    /// <summary>Walks a quoted string from its opening quote; notes the backslashes to drop; answers where it ended.</summary>
    private static int SkipQuoted(byte[] source, int start, ref List<int>? dropped)
    {
        byte quote = source[start];
        int i = start + 1, n = source.Length;
        while (i < n && source[i] != quote)
        {
            byte c = source[i];
            if (c is (byte)'\n' or (byte)'\r') return i; // unfinished: the compiler says so
            if (c != '\\' || i + 1 >= n)
            {
                i++;
                continue;
            }
            byte escaped = source[i + 1];
            if (escaped is (byte)'\n' or (byte)'\r')
            {
                // An escaped line break, \r\n or \n\r counting as one.
                i += 2;
                if (i < n && source[i] is (byte)'\n' or (byte)'\r' && source[i] != escaped) i++;
                continue;
            }
            if (!IsEscapeBothKnow(escaped)) (dropped ??= []).Add(i);
            i += 2;
        }
        return i + 1;
    }

    private static bool IsEscapeBothKnow(byte c) =>
        c is (byte)'a' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'v'
            or (byte)'\\' or (byte)'"' or (byte)'\'' or (>= (byte)'0' and <= (byte)'9');

    /// <summary>The level of a long bracket opening at <paramref name="i"/> ("[[" 0, "[=[" 1 …), or -1 when there is none.</summary>
    private static int LongBracketLevel(byte[] source, int i)
    {
        if (i >= source.Length || source[i] != '[') return -1;
        int level = 0;
        i++;
        while (i < source.Length && source[i] == '=')
        {
            level++;
            i++;
        }
        return i < source.Length && source[i] == '[' ? level : -1;
    }

    /// <summary>Where the long bracket opening at <paramref name="i"/> closes (past "]=…]"), or the end of the source.</summary>
    private static int SkipLongBracket(byte[] source, int i, int level)
    {
        i += level + 2;
        while (i < source.Length)
        {
            if (source[i] == ']')
            {
                int j = i + 1, equals = 0;
                while (j < source.Length && source[j] == '=')
                {
                    equals++;
                    j++;
                }
                if (equals == level && j < source.Length && source[j] == ']') return j + 1;
            }
            i++;
        }
        return source.Length;
    }
}
