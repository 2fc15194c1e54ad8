using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tests;

public sealed class GlobPatternTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("h?llo", "hello", true)]
    [InlineData("h?llo", "hllo", false)]
    [InlineData("h*llo", "heeeello", true)]
    [InlineData("h[ae]llo", "hallo", true)]
    [InlineData("h[ae]llo", "hillo", false)]
    [InlineData("h[^e]llo", "hallo", true)]
    [InlineData("h[^e]llo", "hello", false)]
    [InlineData("h[a-b]llo", "hbllo", true)]
    [InlineData("h[b-a]llo", "hallo", true)]
    [InlineData("h\\*llo", "h*llo", true)]
    [InlineData("h\\*llo", "hello", false)]
    [InlineData("user:*:name", "user:42:name", true)]
    [InlineData("user:*:name", "user:42:age", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "aXbY", false)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("**", "", true)]
    public void Match_FollowsRedisGlobRules(string pattern, string text, bool expected) =>
        Assert.Equal(expected, GlobPattern.Match(Encoding.UTF8.GetBytes(pattern), Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Match_TakesPolynomialTime_OnPathologicalPatterns()
    {
        var pattern = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("a*", 30)) + "b");
        var text = Encoding.UTF8.GetBytes(new string('a', 5000));
        Assert.False(GlobPattern.Match(pattern, text));
    }
}
