using System.Text;
using TieredKv.Numbers;

namespace TieredKv.Tests.Numbers;

/// <summary>The emulated 80-bit long double against values printed by Redis 7.0's HINCRBYFLOAT.</summary>
public sealed class LongDoubleTests
{
    private static LongDouble P(string s)
    {
        Assert.True(LongDouble.TryParse(Encoding.ASCII.GetBytes(s), out var v), s);
        return v;
    }

    [Theory]
    [InlineData("10.6", "-5e3", "-4989.39999999999999991")]
    [InlineData("10.5", "0.1", "10.6")]
    [InlineData("9223372036854775805", "1.5", "9223372036854775806.5")]
    [InlineData("1", "1e-400", "1")]
    [InlineData("0", "3", "3")]
    [InlineData("1.5", "-1.5", "0")]
    [InlineData("-0", "-0", "0")]
    public void Sum_prints_as_redis(string a, string b, string expected) => Assert.Equal(expected, (P(a) + P(b)).ToHumanString());

    [Theory]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("nan")]
    [InlineData("1e5000")]
    [InlineData("1e-5000")]
    [InlineData("1e")]
    [InlineData(".")]
    [InlineData("abc")]
    public void Refuses_what_string2ld_refuses(string s) => Assert.False(LongDouble.TryParse(Encoding.ASCII.GetBytes(s), out _));

    [Fact]
    public void Accepts_infinity_and_values_beyond_double()
    {
        Assert.True(P("-inf").IsInfinity);
        Assert.False(P("1e400").IsInfinity);
        Assert.StartsWith("10000000000000000000281880683947586514586453433629", P("1e400").ToHumanString());
    }

    [Fact]
    public void FromDouble_is_exact() => Assert.Equal("0.10000000000000001", LongDouble.FromDouble(0.1).ToHumanString());
}
