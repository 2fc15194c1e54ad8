using System.Globalization;

namespace TieredKv.Server.Config;

/// <summary>
/// The number and word formats Redis's config parsing accepts, with its quirks kept (they decide which values
/// are errors): integers without a sign '+', leading zeros or blanks; sizes with k/kb/m/mb/g/gb units.
/// </summary>
internal static class ConfigText
{
    /// <summary>An integer as Redis's string2ll reads it: "0", or an optional '-' and digits not starting with 0, within 64 bits.</summary>
    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        if (text == "0") return true;
        int i = text.StartsWith('-') ? 1 : 0;
        if (i == text.Length || text[i] is < '1' or > '9') return false;
        ulong magnitude = 0;
        for (; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9') return false;
            if (magnitude > (ulong.MaxValue - 9) / 10) return false;
            magnitude = magnitude * 10 + (ulong)(text[i] - '0');
        }
        bool negative = text[0] == '-';
        if (negative ? magnitude > (ulong)long.MaxValue + 1 : magnitude > long.MaxValue) return false;
        value = negative ? (long)(0 - magnitude) : (long)magnitude;
        return true;
    }

    /// <summary>
    /// A size as Redis's memtoull reads it: digits then an optional unit b, k (1000), kb (1024), m, mb, g, gb, any case.
    /// No digits reads as 0 and too many saturate, and the product wraps around 64 bits, all as Redis does.
    /// </summary>
    public static bool TryParseMemory(string text, out ulong value)
    {
        value = 0;
        if (text.StartsWith('-')) return false;
        int digits = 0;
        while (digits < text.Length && text[digits] is >= '0' and <= '9') digits++;
        ulong unit = text[digits..].ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" => 1000,
            "kb" => 1024,
            "m" => 1000 * 1000,
            "mb" => 1024 * 1024,
            "g" => 1000L * 1000 * 1000,
            "gb" => 1024L * 1024 * 1024,
            _ => 0,
        };
        if (unit == 0 || digits >= 128) return false;
        // strtoull: no digits reads as 0, too many saturate.
        ulong number = digits == 0 ? 0 : ulong.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out ulong n) ? n : ulong.MaxValue;
        value = unchecked(number * unit);
        return true;
    }

    /// <summary>A floating-point number as Redis's string2d reads it: no blanks around it, not NaN.</summary>
    public static bool TryParseDouble(string text, out double value)
    {
        value = 0;
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return false;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
    }

    /// <summary>A double as Redis prints it with "%f" and then trims trailing zeros and a trailing point.</summary>
    public static string FormatTrimmed(double value)
    {
        string s = value.ToString("F6", CultureInfo.InvariantCulture);
        if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
        return s;
    }

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A config-file argument: in double quotes when empty or holding blanks, so that it reads back as one value.</summary>
    public static string Quote(string value) => value.Length == 0 || value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;
}
