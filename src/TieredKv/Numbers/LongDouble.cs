using System.Globalization;
using System.Numerics;
using System.Text;

namespace TieredKv.Numbers;

/// <summary>
/// An x87 80-bit long double (64-bit significand), the type Redis does HINCRBYFLOAT's arithmetic in:
/// emulated exactly so results print as Redis prints them (e.g. 10.6 - 5000 is -4989.39999999999999991).
/// Holds ±<see cref="Significand"/>·2^<see cref="Exponent"/>, or an infinity. Subnormals are not modelled.
/// </summary>
public readonly struct LongDouble
{
    private const int SignificandBits = 64;

    /// <summary>Beyond this binary exponent of the top bit, a long double overflows.</summary>
    private const int MaxTopExponent = 16383;

    private LongDouble(bool negative, BigInteger significand, int exponent, bool infinite = false)
    {
        Negative = negative;
        Significand = significand;
        Exponent = exponent;
        IsInfinity = infinite;
    }

    public bool Negative { get; }
    public BigInteger Significand { get; }
    public int Exponent { get; }
    public bool IsInfinity { get; }

    /// <summary>The exact value of a double (every double is a long double).</summary>
    public static LongDouble FromDouble(double value)
    {
        if (double.IsInfinity(value)) return new LongDouble(value < 0, 0, 0, infinite: true);
        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        if (biased == 0) return new LongDouble(negative, fraction, -1074);
        return new LongDouble(negative, fraction | (1L << 52), biased - 1075);
    }

    /// <summary>
    /// Parses as Redis's string2ld (strtold): optional sign, decimal digits with an optional point and
    /// exponent, or inf/infinity; no white space, no NaN, nothing out of range.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out LongDouble value)
    {
        value = default;
        if (text.IsEmpty || text.Length > 5000) return false;
        int i = 0;
        bool negative = false;
        if (text[0] is (byte)'+' or (byte)'-')
        {
            negative = text[0] == (byte)'-';
            i++;
        }
        string rest = Encoding.ASCII.GetString(text[i..]).ToLowerInvariant();
        if (rest is "inf" or "infinity")
        {
            value = new LongDouble(negative, 0, 0, infinite: true);
            return true;
        }
        var digits = new StringBuilder();
        int fractionDigits = 0, pos = 0;
        bool any = false;
        for (; pos < rest.Length && char.IsAsciiDigit(rest[pos]); pos++, any = true) digits.Append(rest[pos]);
        if (pos < rest.Length && rest[pos] == '.')
        {
            for (pos++; pos < rest.Length && char.IsAsciiDigit(rest[pos]); pos++, any = true, fractionDigits++) digits.Append(rest[pos]);
        }
        if (!any) return false;
        long exponent = 0;
        if (pos < rest.Length && rest[pos] == 'e')
        {
            int start = ++pos;
            if (pos < rest.Length && rest[pos] is '+' or '-') pos++;
            if (pos == rest.Length || !char.IsAsciiDigit(rest[pos])) return false;
            while (pos < rest.Length && char.IsAsciiDigit(rest[pos])) pos++;
            if (!long.TryParse(rest.AsSpan(start, pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)) return false;
        }
        if (pos != rest.Length) return false;
        var n = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        long e10 = exponent - fractionDigits;
        if (n.IsZero)
        {
            value = new LongDouble(negative, 0, 0);
            return true;
        }
        // Far outside the range: strtold's ERANGE, which Redis refuses.
        if (e10 + digits.Length > 4940 || e10 + digits.Length < -4960) return false;
        value = e10 >= 0
            ? Round(negative, n * BigInteger.Pow(10, (int)e10), BigInteger.One)
            : Round(negative, n, BigInteger.Pow(10, (int)-e10));
        return !value.IsInfinity && !value.Significand.IsZero;
    }

    /// <summary>The sum rounded to 64 significant bits (round half to even), as the FPU adds.</summary>
    public static LongDouble operator +(LongDouble a, LongDouble b)
    {
        if (a.IsInfinity || b.IsInfinity)
        {
            if (a.IsInfinity && b.IsInfinity && a.Negative != b.Negative) throw new ArithmeticException("NaN");
            return a.IsInfinity ? a : b;
        }
        int low = Math.Min(a.Exponent, b.Exponent);
        var sum = a.Signed() << (a.Exponent - low);
        sum += b.Signed() << (b.Exponent - low);
        if (sum.IsZero) return new LongDouble(false, 0, 0);
        bool negative = sum.Sign < 0;
        var magnitude = BigInteger.Abs(sum);
        return low >= 0 ? Round(negative, magnitude << low, BigInteger.One) : Round(negative, magnitude, BigInteger.One << -low);
    }

    /// <summary>
    /// Redis's LD_STR_HUMAN formatting: printf's "%.17Lf" (exact value rounded half to even at 17
    /// decimals), trailing zeros and point removed, "-0" written "0".
    /// </summary>
    public string ToHumanString()
    {
        if (IsInfinity) return Negative ? "-inf" : "inf";
        var scaled = Significand * BigInteger.Pow(10, 17);
        BigInteger units;
        if (Exponent >= 0) units = scaled << Exponent;
        else
        {
            var divisor = BigInteger.One << -Exponent;
            units = BigInteger.DivRem(scaled, divisor, out var remainder);
            int half = (remainder * 2).CompareTo(divisor);
            if (half > 0 || (half == 0 && !units.IsEven)) units += 1;
        }
        string text = units.ToString(CultureInfo.InvariantCulture).PadLeft(18, '0');
        text = text[..^17] + "." + text[^17..];
        text = text.TrimEnd('0').TrimEnd('.');
        if (Negative && text != "0") text = "-" + text;
        return text;
    }

    private BigInteger Signed() => Negative ? -Significand : Significand;

    /// <summary>The rational <paramref name="p"/>/<paramref name="q"/> (both positive) rounded to 64 significant bits.</summary>
    private static LongDouble Round(bool negative, BigInteger p, BigInteger q)
    {
        int shift = SignificandBits - (int)(p.GetBitLength() - q.GetBitLength());
        BigInteger quotient, remainder, denominator;
        while (true)
        {
            var numerator = shift >= 0 ? p << shift : p;
            denominator = shift >= 0 ? q : q << -shift;
            quotient = BigInteger.DivRem(numerator, denominator, out remainder);
            long bits = quotient.GetBitLength();
            if (bits > SignificandBits) shift--;
            else if (bits < SignificandBits) shift++;
            else break;
        }
        int half = (remainder * 2).CompareTo(denominator);
        if (half > 0 || (half == 0 && !quotient.IsEven)) quotient += 1;
        if (quotient.GetBitLength() > SignificandBits)
        {
            quotient >>= 1;
            shift--;
        }
        int exponent = -shift;
        if (exponent + SignificandBits - 1 > MaxTopExponent) return new LongDouble(negative, 0, 0, infinite: true);
        return new LongDouble(negative, quotient, exponent);
    }
}
