using TieredKv.Storage.Format;

namespace TieredKv.Storage.Tests.Format;

public sealed class InternalKeyTests
{
    [Fact]
    public void Compare_OrdersByUserKeyThenNewestFirst()
    {
        var a5 = InternalKey.Create("a"u8, 5, EntryType.Value);
        var a9 = InternalKey.Create("a"u8, 9, EntryType.Value);
        var b1 = InternalKey.Create("b"u8, 1, EntryType.Value);
        Assert.True(InternalKey.Compare(a9, a5) < 0);
        Assert.True(InternalKey.Compare(a5, b1) < 0);
        Assert.Equal(0, InternalKey.Compare(a5, InternalKey.Create("a"u8, 5, EntryType.Value)));
    }

    [Fact]
    public void Compare_KeepsPrefixKeysApart()
    {
        var shortKey = InternalKey.Create("ab"u8, 1, EntryType.Value);
        var longKey = InternalKey.Create("abc"u8, 100, EntryType.Value);
        Assert.True(InternalKey.Compare(shortKey, longKey) < 0);
    }

    [Fact]
    public void ForSeek_SortsBeforeEveryVisibleVersion()
    {
        var seek = InternalKey.ForSeek("k"u8, 7);
        Assert.True(InternalKey.Compare(seek, InternalKey.Create("k"u8, 7, EntryType.Value)) < 0);
        Assert.True(InternalKey.Compare(seek, InternalKey.Create("k"u8, 7, EntryType.Deletion)) < 0);
        Assert.True(InternalKey.Compare(seek, InternalKey.Create("k"u8, 8, EntryType.Value)) > 0);
    }

    [Fact]
    public void Fields_RoundTrip()
    {
        var key = InternalKey.Create("user"u8, 123456789, EntryType.Deletion);
        Assert.Equal("user"u8.ToArray(), InternalKey.UserKey(key).ToArray());
        Assert.Equal(123456789UL, InternalKey.Sequence(key));
        Assert.Equal(EntryType.Deletion, InternalKey.Type(key));
    }
}
