using System.Text.RegularExpressions;
using TieredKv.Server.Config;

namespace TieredKv.Server.Tests.Config;

/// <summary>The parameter table against README's "CONFIG parameters" section, which says what takes effect.</summary>
public sealed partial class ConfigTableTests
{
    [GeneratedRegex("`([a-z_-]+)`")]
    private static partial Regex QuotedName();

    /// <summary>README's section, split into its two tables: the parameters that take effect, and the rest.</summary>
    private static (HashSet<string> TakeEffect, HashSet<string> Ignored) ReadmeTables()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "TieredKv.sln"))) dir = dir.Parent;
        string readme = File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
        int start = readme.IndexOf("## CONFIG parameters", StringComparison.Ordinal);
        int ignored = readme.IndexOf("| accepted and ignored |", start, StringComparison.Ordinal);
        int end = readme.IndexOf("\n## ", ignored, StringComparison.Ordinal);
        int firstTable = readme.IndexOf("| parameters | here |", start, StringComparison.Ordinal);
        HashSet<string> Names(int from, int to) => [.. QuotedName().Matches(readme[from..to]).Select(m => m.Groups[1].Value)];
        return (Names(firstTable, ignored), Names(ignored, end));
    }

    [Fact]
    public void ReadmeTakeEffectTable_ListsExactlyTheParametersThatTakeEffect()
    {
        var flagged = ConfigRegistry.Instance.Parameters.Where(p => p.Is(ConfigFlags.TakesEffect)).Select(p => p.Name).ToHashSet();
        var listed = ReadmeTables().TakeEffect.Where(name => ConfigRegistry.Instance.TryGet(name, out _)).ToHashSet();

        Assert.Equal(flagged.Order(), listed.Order());
    }

    [Fact]
    public void ReadmeIgnoredTable_ListsEveryOtherParameter()
    {
        var ignored = ReadmeTables().Ignored;
        var missing = ConfigRegistry.Instance.Parameters.Where(p => !p.Is(ConfigFlags.TakesEffect) && !ignored.Contains(p.Name)).Select(p => p.Name);

        Assert.Empty(missing);
    }

    [Fact]
    public void VisibleNames_AreRedisCountOfPrimaryNamesAndAliases()
    {
        Assert.Equal(192, ConfigRegistry.Instance.VisibleNames.Count);
        Assert.Equal(ConfigRegistry.Instance.VisibleNames.Count, ConfigRegistry.Instance.VisibleNames.Distinct().Count());
    }

    [Theory]
    [InlineData("slaveof", "replicaof")]
    [InlineData("hash-max-ziplist-entries", "hash-max-listpack-entries")]
    [InlineData("LUA-TIME-LIMIT", "busy-reply-threshold")]
    public void Alias_FindsItsPrimaryParameter(string alias, string primary)
    {
        Assert.True(ConfigRegistry.Instance.TryGet(alias, out var parameter));
        Assert.Equal(primary, parameter.Name);
    }
}
