using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TieredKv.Numbers;

/// <summary>
/// Number text as Redis reads it: string2ll for integers, strtod for doubles, strtoul for scan
/// cursors. One copy for the library and the server; the long-double arithmetic is <see cref="LongDouble"/>.
/// </summary>
public static class RedisNumbers
{
    /// <summary>Redis's string2ll: optional '-', digits, no '+', no leading zeros or spaces, within 64 bits.</summary>
    public static bool TryParseInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 20) return false;
        if (s.Length > 1 && (s[0] == (byte)'0' || (s[0] == (byte)'-' && s[1] == (byte)'0'))) return false;
        if (s[0] == (byte)'+' || s[0] == (byte)' ' || s[^1] == (byte)' ') return false;
        return Utf8Parser.TryParse(s, out value, out int consumed) && consumed == s.Length;
    }

    /// <summary>
    /// A double as Redis's strtod-based parsing accepts it: inf, -inf, +inf allowed; NaN and spaces
    /// refused, and so are literals out of a double's range (strtod's ERANGE: 1e400, 1e-400).
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value) => TryParseStrtod(s, out value, out bool outOfRange) && !outOfRange;

    /// <summary>
    /// As <see cref="TryParseDouble"/> but reporting instead of refusing a literal out of range, which
    /// becomes ±inf or 0 as strtod makes it (score ranges accept those).
    /// </summary>
    public static bool TryParseStrtod(ReadOnlySpan<byte> s, out double value, out bool outOfRange)
    {
        value = 0;
        outOfRange = false;
        if (s.IsEmpty || s.Length > 256 || IsSpace(s[0]) || IsSpace(s[^1])) return false;
        string text = Encoding.ASCII.GetString(s);
        switch (text.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (double.IsNaN(value)) return false;
        // .NET rounds overflow to infinity and underflow to zero where strtod also sets ERANGE.
        outOfRange = double.IsInfinity(value) || (value == 0 && HasNonZeroDigit(text));
        return true;
    }

    /// <summary>
    /// A SCAN cursor as Redis's strtoul reads it: an optional sign (a negative cursor wraps modulo
    /// 2^64) and decimal digits that fit in 64 bits; nothing else, no white space.
    /// </summary>
    public static bool TryParseCursor(ReadOnlySpan<byte> text, out ulong cursor)
    {
        bool negative = text.Length > 0 && text[0] == (byte)'-';
        if (text.Length > 0 && text[0] is (byte)'-' or (byte)'+') text = text[1..];
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out cursor)) return false;
        if (negative) cursor = unchecked(0 - cursor);
        return true;
    }

    /// <summary>C's isspace: .NET's number parsing would skip these where Redis refuses them.</summary>
    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    /// <summary>Whether the mantissa of a decimal literal has a digit other than 0.</summary>
    private static bool HasNonZeroDigit(string text)
    {
        foreach (char ch in text)
        {
            if (ch is 'e' or 'E') return false;
            if (ch is >= '1' and <= '9') return true;
        }
        return false;
    }

    /// <summary>A double as C's <c>%.Nf</c> prints it (Redis's distances and coordinates), with <c>inf</c> and <c>-inf</c>.</summary>
    public static string FormatFixed(double value, int decimals)
    {
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        return value.ToString("F" + decimals.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
    }
}
