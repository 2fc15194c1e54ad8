using TieredKv.Keyspace;
using TieredKv.Types.Strings;

namespace TieredKv;

/// <summary>LCS over two string keys (Redis's t_string.c lcsCommand).</summary>
public static partial class StringOperations
{
    /// <summary>
    /// LCS: the longest common subsequence of the strings at two keys (missing keys are empty), with
    /// the matching ranges of at least <paramref name="minMatchLength"/> bytes.
    /// </summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.NotAString"/>: a key of another type; <see cref="KvErrorKind.TooLarge"/>: the work table would exceed 512 MB.</exception>
    public static LcsResult Lcs(this KvDatabase db, ReadOnlySpan<byte> key1, ReadOnlySpan<byte> key2, long minMatchLength = 0)
    {
        byte[] a = db.LcsString(key1), b = db.LcsString(key2);
        if (LongestCommonSubsequence.TableBytes(a.Length, b.Length) > KvDatabase.MaxStringLength)
            throw new KvException(KvErrorKind.TooLarge, "the LCS work table would exceed 512 MB");
        return LongestCommonSubsequence.Compute(a, b, minMatchLength);
    }

    /// <summary>A key's string for LCS: empty when missing, an error naming LCS's rule for another type.</summary>
    public static byte[] LcsString(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        try
        {
            return db.Get(key) ?? [];
        }
        catch (WrongTypeException)
        {
            throw new KvException(KvErrorKind.NotAString, "LCS needs string keys");
        }
    }
}
