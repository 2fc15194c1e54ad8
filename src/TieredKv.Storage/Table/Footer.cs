using TieredKv.Storage.Format;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// The fixed 64 bytes that end every table file:
/// <c>index handle | filter handle | properties handle</c> (each fixed64 offset, fixed64 size; 48 bytes),
/// <c>format version u32</c>, <c>masked CRC32C u32</c> of bytes [0, 52), <c>magic u64</c> ("TKVSST1\0").
/// </summary>
public readonly record struct Footer(BlockHandle Index, BlockHandle Filter, BlockHandle Properties)
{
    public const int Size = 64;
    public const uint FormatVersion = 1;

    /// <summary>The bytes "TKVSST1\0" read as a little-endian u64.</summary>
    public const ulong Magic = 0x0031_5453_5356_4B54UL;

    private const int VersionOffset = 48;
    private const int CrcOffset = 52;
    private const int MagicOffset = 56;

    public void EncodeTo(Span<byte> destination)
    {
        WriteHandle(destination, Index);
        WriteHandle(destination[16..], Filter);
        WriteHandle(destination[32..], Properties);
        Coding.WriteFixed32(destination[VersionOffset..], FormatVersion);
        Coding.WriteFixed32(destination[CrcOffset..], Crc32C.Mask(Crc32C.Compute(destination[..CrcOffset])));
        Coding.WriteFixed64(destination[MagicOffset..], Magic);
    }

    /// <summary>Reads and verifies the footer of a file of <paramref name="fileLength"/> bytes.</summary>
    public static Footer Decode(ReadOnlySpan<byte> source, long fileLength, string fileName)
    {
        long at = fileLength - Size;
        if (source.Length != Size || at < 0) throw new CorruptionException(fileName, Math.Max(0, at), "file too short for a table footer");
        if (Coding.ReadFixed64(source[MagicOffset..]) != Magic)
            throw new CorruptionException(fileName, at + MagicOffset, "bad table magic (not a table, or truncated)");
        uint expected = Crc32C.Unmask(Coding.ReadFixed32(source[CrcOffset..]));
        if (Crc32C.Compute(source[..CrcOffset]) != expected)
            throw new CorruptionException(fileName, at, "footer checksum mismatch");
        uint version = Coding.ReadFixed32(source[VersionOffset..]);
        if (version != FormatVersion)
            throw new CorruptionException(fileName, at + VersionOffset, $"unsupported table format version {version}");

        var footer = new Footer(ReadHandle(source), ReadHandle(source[16..]), ReadHandle(source[32..]));
        // Every block plus its trailer must lie before the footer.
        CheckInside(footer.Index, at, fileName, "index", allowEmpty: false);
        CheckInside(footer.Filter, at, fileName, "filter", allowEmpty: true);
        CheckInside(footer.Properties, at, fileName, "properties", allowEmpty: false);
        return footer;
    }

    private static void CheckInside(BlockHandle h, long limit, string fileName, string what, bool allowEmpty)
    {
        if (allowEmpty && h.Offset == 0 && h.Size == 0) return;
        if (h.Offset > (ulong)limit || h.Size > (ulong)limit || h.Offset + h.Size + BlockFormat.TrailerSize > (ulong)limit)
            throw new CorruptionException(fileName, limit, $"{what} handle ({h.Offset}, {h.Size}) outside the file");
    }

    private static void WriteHandle(Span<byte> destination, BlockHandle h)
    {
        Coding.WriteFixed64(destination, h.Offset);
        Coding.WriteFixed64(destination[8..], h.Size);
    }

    private static BlockHandle ReadHandle(ReadOnlySpan<byte> source) =>
        new(Coding.ReadFixed64(source), Coding.ReadFixed64(source[8..]));
}
