using System.Text;
using TieredKv.Numbers;

namespace TieredKv.Tests.Numbers;

/// <summary>Redis's number parsing rules: string2ll, strtod and strtoul as Redis calls them.</summary>
public sealed class RedisNumbersTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-1", -1L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void TryParseInteger_Accepts(string text, long expected)
    {
        Assert.True(RedisNumbers.TryParseInteger(B(text), out long value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("-0")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("9223372036854775808")]
    [InlineData("1.0")]
    public void TryParseInteger_RefusesWhatString2llRefuses(string text) => Assert.False(RedisNumbers.TryParseInteger(B(text), out _));

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("+Infinity", double.PositiveInfinity)]
    [InlineData("1e3", 1000.0)]
    public void TryParseDouble_Accepts(string text, double expected)
    {
        Assert.True(RedisNumbers.TryParseDouble(B(text), out double value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData(" 1")]
    [InlineData("1\t")]
    [InlineData("1e400")]
    [InlineData("1e-400")]
    [InlineData("abc")]
    public void TryParseDouble_Refuses(string text) => Assert.False(RedisNumbers.TryParseDouble(B(text), out _));

    [Fact]
    public void TryParseStrtod_ReportsOutOfRange_AsStrtodRoundsIt()
    {
        Assert.True(RedisNumbers.TryParseStrtod(B("1e400"), out double value, out bool outOfRange));
        Assert.True(outOfRange);
        Assert.Equal(double.PositiveInfinity, value);
    }

    [Fact]
    public void TryParseCursor_WrapsNegatives_AndRefusesSpaces()
    {
        Assert.True(RedisNumbers.TryParseCursor(B("-1"), out ulong cursor));
        Assert.Equal(ulong.MaxValue, cursor);
        Assert.True(RedisNumbers.TryParseCursor(B("+18446744073709551615"), out cursor));
        Assert.Equal(ulong.MaxValue, cursor);
        Assert.False(RedisNumbers.TryParseCursor(B(" 1"), out _));
        Assert.False(RedisNumbers.TryParseCursor(B("18446744073709551616"), out _));
        Assert.False(RedisNumbers.TryParseCursor(B("-"), out _));
    }
}
