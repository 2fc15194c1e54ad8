using System.Buffers;
using K4os.Compression.LZ4;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// How a block is stored: <c>stored bytes | type u8 | masked CRC32C u32 LE</c>, the CRC covering the stored
/// bytes and the type byte. Type 1 (LZ4) stores <c>varint32 uncompressedLength | LZ4 raw block</c>.
/// </summary>
public static class BlockFormat
{
    public const int TrailerSize = 5;

    /// <summary>
    /// An LZ4 block expands at most ~255 times (each length-extension byte adds 255 output bytes), plus a short
    /// match from a 3-byte sequence; a longer claimed length is corruption.
    /// </summary>
    private const ulong MaxLz4Expansion = 255, Lz4Slack = 64;

    /// <summary>Stores <paramref name="contents"/> compressed when that saves at least 1/8.</summary>
    /// <returns>The stored bytes and their type; the span is valid until the next call with the same scratch buffer.</returns>
    public static ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> contents, CompressionType compression, ByteBuffer scratch, out CompressionType stored)
    {
        stored = CompressionType.None;
        if (compression != CompressionType.Lz4 || contents.Length < 16) return contents;
        scratch.Clear();
        scratch.AppendVarint32((uint)contents.Length);
        int header = scratch.Length;
        var target = scratch.Reserve(LZ4Codec.MaximumOutputSize(contents.Length));
        int written = LZ4Codec.Encode(contents, target);
        if (written <= 0) return contents;
        scratch.Truncate(header + written);
        if (scratch.Length > contents.Length - contents.Length / 8) return contents;
        stored = CompressionType.Lz4;
        return scratch.Span;
    }

    public static void WriteTrailer(Span<byte> destination, ReadOnlySpan<byte> storedBytes, CompressionType type)
    {
        destination[0] = (byte)type;
        uint crc = Crc32C.Extend(Crc32C.Compute(storedBytes), destination[..1]);
        Coding.WriteFixed32(destination[1..], Crc32C.Mask(crc));
    }

    /// <summary>Reads a block, verifies its checksum and decompresses it.</summary>
    /// <returns>An array whose first <paramref name="length"/> bytes are the block contents.</returns>
    /// <remarks>With <paramref name="pool"/>, the result is one of its buffers (possibly longer than the block).</remarks>
    internal static byte[] Read(IRandomAccessFile file, BlockHandle handle, bool allowCompression, TableReadCounters? counters, out int length,
        BlockCache? pool = null)
    {
        string name = file.Path;
        long offset = (long)Math.Min(handle.Offset, long.MaxValue);
        ulong fileLength = (ulong)file.Length;
        if (handle.Offset > fileLength || handle.Size > (ulong)(Array.MaxLength - TrailerSize)
            || handle.Offset + handle.Size + TrailerSize > fileLength)
            throw new CorruptionException(name, offset, $"block handle ({handle.Offset}, {handle.Size}) outside the file");

        int size = (int)handle.Size;
        // The raw (possibly compressed) bytes are scratch once decoded: read them into a pooled buffer, so a
        // cache miss allocates only the block it returns rather than two block-sized arrays.
        byte[] rented = ArrayPool<byte>.Shared.Rent(size + TrailerSize);
        try
        {
            var buffer = rented.AsSpan(0, size + TrailerSize);
            int read = file.Read(offset, buffer);
            counters?.AddDiskRead(read);
            if (read != buffer.Length) throw new CorruptionException(name, offset, $"short read: {read} of {buffer.Length} bytes");

            uint expected = Crc32C.Unmask(Coding.ReadFixed32(buffer[(size + 1)..]));
            if (Crc32C.Compute(buffer[..(size + 1)]) != expected)
                throw new CorruptionException(name, offset, "block checksum mismatch");

            switch ((CompressionType)buffer[size])
            {
                case CompressionType.None:
                    length = size;
                    if (pool == null) return buffer[..size].ToArray();
                    var copy = pool.RentBuffer(size);
                    buffer[..size].CopyTo(copy);
                    return copy;
                case CompressionType.Lz4 when allowCompression:
                    int n = Coding.ReadVarint32(buffer[..size], out uint raw);
                    if (n == 0 || raw > (uint)Array.MaxLength) throw new CorruptionException(name, offset, "bad LZ4 length prefix");
                    // Checked before allocating: a corrupt prefix must not cost its claimed size in memory.
                    if (raw > MaxLz4Expansion * (ulong)(size - n) + Lz4Slack)
                        throw new CorruptionException(name, offset, $"LZ4 length prefix {raw} is more than {size - n} compressed bytes can hold");
                    // Not zeroed: the decoder must write all of it (checked below), and zeroing 8 KiB was ~13% of a cold read.
                    var output = pool?.RentBuffer((int)raw) ?? GC.AllocateUninitializedArray<byte>((int)raw);
                    int decoded;
                    try
                    {
                        decoded = LZ4Codec.Decode(buffer[n..size], output.AsSpan(0, (int)raw));
                    }
                    catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
                    {
                        decoded = -1;
                    }
                    if (decoded != raw) throw new CorruptionException(name, offset, "LZ4 block does not decompress to its stated length");
                    length = (int)raw;
                    return output;
                default:
                    throw new CorruptionException(name, offset, $"unknown block type {buffer[size]}");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
