using K4os.Compression.LZ4;
using TieredKv.Storage.Format;
using TieredKv.Storage.Table;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Tests.Table;

public sealed class BlockFormatTests
{
    /// <summary>A file holding one block stored as <paramref name="stored"/> with the given type and a valid trailer.</summary>
    private static (MemoryRandomAccessFile File, BlockHandle Handle) StoredBlock(byte[] stored, CompressionType type)
    {
        var bytes = new byte[stored.Length + BlockFormat.TrailerSize];
        stored.CopyTo(bytes, 0);
        BlockFormat.WriteTrailer(bytes.AsSpan(stored.Length), stored, type);
        return (new MemoryRandomAccessFile(bytes), new BlockHandle(0, (ulong)stored.Length));
    }

    private static byte[] Lz4Stored(uint claimedLength, ReadOnlySpan<byte> compressed)
    {
        var b = new ByteBuffer();
        b.AppendVarint32(claimedLength);
        b.Append(compressed);
        return b.Span.ToArray();
    }

    [Fact]
    public void Read_RejectsLz4LengthBeyondMaximumExpansion_WithoutAllocatingIt()
    {
        var (file, handle) = StoredBlock(Lz4Stored(100 << 20, [0x10, 0x41]), CompressionType.Lz4);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<CorruptionException>(() => BlockFormat.Read(file, handle, allowCompression: true, null, out _));
        Assert.Contains("LZ4 length prefix", e.Reason);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the claimed 100 MiB were allocated");
    }

    [Fact]
    public void Read_DecodesHighlyCompressibleLz4Block()
    {
        var contents = new byte[64 * 1024];
        var compressed = new byte[LZ4Codec.MaximumOutputSize(contents.Length)];
        int n = LZ4Codec.Encode(contents, compressed);
        var (file, handle) = StoredBlock(Lz4Stored((uint)contents.Length, compressed.AsSpan(0, n)), CompressionType.Lz4);
        var data = BlockFormat.Read(file, handle, allowCompression: true, null, out int length);
        Assert.Equal(contents.Length, length);
        Assert.True(data.AsSpan(0, length).SequenceEqual(contents));
    }
}
