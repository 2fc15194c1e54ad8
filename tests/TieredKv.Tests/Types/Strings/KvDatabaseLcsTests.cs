using System.Text;
using TieredKv.Keyspace;
using TieredKv.Types.Strings;

namespace TieredKv.Tests.Types.Strings;

/// <summary>LCS through the library API (Redis's documentation example).</summary>
public sealed class KvDatabaseLcsTests : IDisposable
{
    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Lcs_GivesTextLengthAndMatches_LastFirst()
    {
        Db.Set(B("key1"), B("ohmytext"));
        Db.Set(B("key2"), B("mynewtext"));
        var result = Db.Lcs(B("key1"), B("key2"));
        Assert.Equal("mytext", Encoding.ASCII.GetString(result.Text));
        Assert.Equal(6, result.Length);
        Assert.Equal([new LcsMatch(4, 7, 5, 8), new LcsMatch(2, 3, 0, 1)], result.Matches);
        Assert.Equal([new LcsMatch(4, 7, 5, 8)], Db.Lcs(B("key1"), B("key2"), minMatchLength: 4).Matches);
    }

    [Fact]
    public void Lcs_MissingKeysAreEmpty_OtherTypesAreRefused()
    {
        Db.Set(B("key1"), B("abc"));
        Assert.Equal(0, Db.Lcs(B("key1"), B("missing")).Length);
        Db.SAdd(B("set"), [B("m")]);
        Assert.Equal(KvErrorKind.NotAString, Assert.Throws<KvException>(() => Db.Lcs(B("key1"), B("set"))).Kind);
    }

    [Fact]
    public void Compute_WorksOnPlainBytes() =>
        Assert.Equal("bd", Encoding.ASCII.GetString(LongestCommonSubsequence.Compute("abcd"u8, "bed"u8).Text));
}
