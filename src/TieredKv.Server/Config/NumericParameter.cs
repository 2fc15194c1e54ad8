using System.Globalization;

namespace TieredKv.Server.Config;

/// <summary>
/// A number within [<paramref name="min"/>, <paramref name="max"/>]. <paramref name="unsigned"/> marks the parameters Redis
/// keeps in unsigned C types (unsigned int, size_t, unsigned long long): their bounds are compared, and printed in the
/// error, as unsigned numbers, so -1 reads as 2^64-1 and is out of range rather than below it. An in-range value may
/// still be refused by <paramref name="check"/>, or moved by <paramref name="adjust"/> (Redis caps hz, for one).
/// </summary>
internal sealed class NumericParameter(
    string name, string? alias, ConfigFlags flags, long min, long max, NumericFormat format, bool unsigned, ConfigSlot<long> slot,
    Func<long, long>? adjust = null, Func<long, string?>? check = null)
    : ConfigParameter(name, alias, flags)
{
    public override string? Set(ServerOptions options, string value)
    {
        if (!TryParse(value, out long parsed))
            return format switch
            {
                NumericFormat.MemoryOrPercent => "argument must be a memory or percent value",
                NumericFormat.Memory => "argument must be a memory value",
                NumericFormat.Octal => "argument couldn't be parsed as an octal number",
                _ => "argument couldn't be parsed into an integer",
            };
        if (OutOfRange(parsed) is { } reason) return reason;
        if (check?.Invoke(parsed) is { } refused) return refused;
        slot.Set(options, adjust?.Invoke(parsed) ?? parsed);
        return null;
    }

    private bool TryParse(string value, out long parsed)
    {
        parsed = 0;
        if (format is NumericFormat.Memory or NumericFormat.MemoryOrPercent && ConfigText.TryParseMemory(value, out ulong bytes))
        {
            parsed = unchecked((long)bytes);
            return true;
        }
        if (format == NumericFormat.MemoryOrPercent && value.Length > 1 && value[^1] == '%'
            && ConfigText.TryParseInteger(value[..^1], out long percent) && percent >= 0)
        {
            parsed = -percent; // a percentage is stored negated, as Redis stores it
            return true;
        }
        if (format == NumericFormat.Octal) return TryParseOctal(value, out parsed);
        return format == NumericFormat.Integer && ConfigText.TryParseInteger(value, out parsed);
    }

    /// <summary>strtoll base 8 over the whole text: optional blanks and sign, at least one digit, no overflow.</summary>
    private static bool TryParseOctal(string value, out long parsed)
    {
        parsed = 0;
        string v = value.TrimStart();
        bool negative = v.StartsWith('-');
        if (v.StartsWith('-') || v.StartsWith('+')) v = v[1..];
        if (v.Length == 0 || v.Any(ch => ch is < '0' or > '7')) return false;
        try
        {
            long magnitude = 0;
            foreach (char ch in v) magnitude = checked(magnitude * 8 + (ch - '0'));
            parsed = negative ? -magnitude : magnitude;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private string? OutOfRange(long value)
    {
        if (unsigned)
        {
            ulong u = unchecked((ulong)value), lower = unchecked((ulong)min), upper = unchecked((ulong)max);
            if (u >= lower && u <= upper) return null;
            return format == NumericFormat.Octal
                ? $"argument must be between {Convert.ToString(min, 8)} and {Convert.ToString(max, 8)} inclusive"
                : string.Create(CultureInfo.InvariantCulture, $"argument must be between {lower} and {upper} inclusive");
        }
        if (format == NumericFormat.MemoryOrPercent && value < 0)
            return value < min ? string.Create(CultureInfo.InvariantCulture, $"percentage argument must be less or equal to {-min}") : null;
        return value >= min && value <= max
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"argument must be between {min} and {max} inclusive");
    }

    public override string Get(ServerOptions options)
    {
        long value = slot.Get(options);
        return format switch
        {
            NumericFormat.MemoryOrPercent when value < 0 => ConfigText.Format(-value) + "%",
            NumericFormat.Memory or NumericFormat.MemoryOrPercent => unchecked((ulong)value).ToString(CultureInfo.InvariantCulture),
            NumericFormat.Octal => Convert.ToString(value, 8),
            _ => ConfigText.Format(value),
        };
    }
}
