namespace TieredKv.Keyspace;

/// <summary>
/// Redis's glob-style matching (KEYS, SCAN MATCH): <c>*</c> any run, <c>?</c> any one byte,
/// <c>[abc]</c>, <c>[^abc]</c>, <c>[a-z]</c> sets, <c>\x</c> a literal x. Matching backtracks to
/// the last star only, so it takes O(pattern × text) at worst, never exponential time.
/// </summary>
public static class GlobPattern
{
    public static bool Match(ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> text)
    {
        int p = 0, t = 0;
        int starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == (byte)'*')
            {
                while (p < pattern.Length && pattern[p] == (byte)'*') p++;
                if (p == pattern.Length) return true;
                starP = p;
                starT = t;
                continue;
            }
            if (p < pattern.Length && MatchOne(pattern, ref p, text[t]))
            {
                t++;
                continue;
            }
            if (starP < 0) return false;
            // Let the last star swallow one more byte and retry from just after it.
            p = starP;
            t = ++starT;
        }
        while (p < pattern.Length && pattern[p] == (byte)'*') p++;
        return p == pattern.Length;
    }

    /// <summary>Matches one pattern element (not a star) at <paramref name="p"/> against <paramref name="c"/>; advances <paramref name="p"/> past it on success.</summary>
    private static bool MatchOne(ReadOnlySpan<byte> pattern, ref int p, byte c)
    {
        switch (pattern[p])
        {
            case (byte)'?':
                p++;
                return true;
            case (byte)'\\' when p + 1 < pattern.Length:
                if (pattern[p + 1] != c) return false;
                p += 2;
                return true;
            case (byte)'[':
                return MatchSet(pattern, ref p, c);
            default:
                if (pattern[p] != c) return false;
                p++;
                return true;
        }
    }

    private static bool MatchSet(ReadOnlySpan<byte> pattern, ref int p, byte c)
    {
        int i = p + 1;
        bool negate = i < pattern.Length && pattern[i] == (byte)'^';
        if (negate) i++;
        bool matched = false;
        while (i < pattern.Length && pattern[i] != (byte)']')
        {
            if (pattern[i] == (byte)'\\' && i + 1 < pattern.Length)
            {
                if (pattern[i + 1] == c) matched = true;
                i += 2;
            }
            else if (i + 2 < pattern.Length && pattern[i + 1] == (byte)'-')
            {
                byte lo = pattern[i], hi = pattern[i + 2];
                if (lo > hi) (lo, hi) = (hi, lo);
                if (c >= lo && c <= hi) matched = true;
                i += 3;
            }
            else
            {
                if (pattern[i] == c) matched = true;
                i++;
            }
        }
        // An unterminated set ends with the pattern, as in Redis.
        p = i < pattern.Length ? i + 1 : i;
        return matched != negate;
    }
}
