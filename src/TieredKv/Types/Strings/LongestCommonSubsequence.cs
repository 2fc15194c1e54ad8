namespace TieredKv.Types.Strings;

/// <summary>LCS's algorithm (Redis's lcsCommand): the longest common subsequence of two strings by dynamic programming, and its matching ranges.</summary>
public static class LongestCommonSubsequence
{
    /// <summary>The bytes of the table <see cref="Compute"/> builds: Redis refuses an LCS whose table exceeds proto-max-bulk-len.</summary>
    public static long TableBytes(int aLength, int bLength) => ((long)aLength + 1) * ((long)bLength + 1) * sizeof(uint);

    /// <summary>
    /// The subsequence, its length and its matches: runs that advance both strings together, from the
    /// end backwards as Redis lists them, keeping those at least <paramref name="minMatchLength"/> long.
    /// </summary>
    public static LcsResult Compute(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, long minMatchLength = 0)
    {
        var table = Table(a, b);
        int width = b.Length + 1;
        int length = (int)table[a.Length * width + b.Length];
        var text = new byte[length];
        var matches = new List<LcsMatch>();
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
                if (aEnd - aStart + 1 >= minMatchLength) matches.Add(new LcsMatch(aStart, aEnd, bStart, bEnd));
                aStart = -1;
            }
        }
        return new LcsResult(text, matches);
    }

    /// <summary>The dynamic-programming table: entry (i, j) is the LCS length of a[..i] and b[..j].</summary>
    private static uint[] Table(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
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
