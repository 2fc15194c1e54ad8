namespace TieredKv.Rdb.Format;

/// <summary>Listpacks (listpack.c) as sequences of byte strings, and the integer reading Redis applies to their strings.</summary>
public static class Listpack
{
    /// <summary>Longest text lpStringToInt64 considers (LONG_STR_SIZE - 1).</summary>
    private const int MaxIntegerText = 20;

    /// <summary>
    /// The entries in order; integers as decimal text. The header is checked at once, the entries as they are
    /// enumerated. <paramref name="baseOffset"/> places errors in the enclosing file.
    /// </summary>
    public static IEnumerable<byte[]> Entries(byte[] blob, long baseOffset = 0) => Iterate(new ListpackReader(blob, baseOffset));

    private static IEnumerable<byte[]> Iterate(ListpackReader reader)
    {
        while (!reader.AtEnd) yield return reader.NextBytes("an entry");
    }

    /// <summary>
    /// True for the strings listpack.c stores as integers (lpStringToInt64): an optional '-', no leading zeros
    /// (except "0" itself), at most 20 bytes, within int64. "-0" is refused: its first digit is not 1-9.
    /// </summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        if (text.Length == 0 || text.Length > MaxIntegerText) return false;
        if (text.Length == 1 && text[0] == '0') return true;
        bool negative = text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length == 0 || digits[0] is < (byte)'1' or > (byte)'9') return false;
        ulong v = 0;
        foreach (byte c in digits)
        {
            if (c is < (byte)'0' or > (byte)'9') return false;
            if (v > ulong.MaxValue / 10) return false;
            v *= 10;
            if (v > ulong.MaxValue - (ulong)(c - '0')) return false;
            v += (ulong)(c - '0');
        }
        if (negative)
        {
            if (v > (ulong)long.MaxValue + 1) return false;
            value = (long)(0 - v);
        }
        else
        {
            if (v > long.MaxValue) return false;
            value = (long)v;
        }
        return true;
    }
}
