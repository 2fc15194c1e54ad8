using TieredKv.Storage.Format;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Tests.Manifest;

public sealed class VersionEditTests
{
    /// <summary>A new-file record up to its size field: tag 6, level 0, file number 1, then the size as a varint.</summary>
    private static byte[] NewFileWithSize(ulong size, ulong entryCount = 1)
    {
        var b = new ByteBuffer();
        b.AppendVarint32(6);
        b.AppendVarint32(0);
        b.AppendVarint64(1);
        b.AppendVarint64(size);
        var key = InternalKey.Create("a"u8, 1, EntryType.Value);
        b.AppendVarint32((uint)key.Length);
        b.Append(key);
        b.AppendVarint32((uint)key.Length);
        b.Append(key);
        b.AppendVarint64(1);
        b.AppendVarint64(1);
        b.AppendVarint64(entryCount);
        b.AppendVarint64(0);
        b.AppendVarint64(0);
        return b.Span.ToArray();
    }

    [Fact]
    public void Decode_ThrowsFormatException_WhenFileSizeExceedsInt64()
    {
        var e = Assert.Throws<FormatException>(() => VersionEdit.Decode(NewFileWithSize(1UL << 63)));
        Assert.Contains("out of range", e.Message);
    }

    [Fact]
    public void Decode_ThrowsFormatException_WhenEntryCountExceedsInt64()
    {
        Assert.Throws<FormatException>(() => VersionEdit.Decode(NewFileWithSize(100, entryCount: ulong.MaxValue)));
    }

    [Fact]
    public void Decode_ReadsFileSize_WhenItIsInt64Max()
    {
        var edit = VersionEdit.Decode(NewFileWithSize(long.MaxValue));
        Assert.Equal(long.MaxValue, Assert.Single(edit.NewFiles).File.Size);
    }
}
