using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>Reads an intset (intset.c): element width u32 (2, 4 or 8), count u32, then the sorted integers, little-endian.</summary>
public static class Intset
{
    /// <summary>The members as decimal text, in stored (ascending) order.</summary>
    public static IEnumerable<byte[]> Members(byte[] blob, long baseOffset = 0)
    {
        if (blob.Length < 8) throw new RdbFormatException(baseOffset, "intset shorter than its header");
        uint width = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4));
        if (width is not (2 or 4 or 8)) throw new RdbFormatException(baseOffset, $"intset with element width {width}");
        if (8 + (long)width * count != blob.Length)
            throw new RdbFormatException(baseOffset + 4, $"intset of {count} {width}-byte members cannot be {blob.Length} bytes");
        return Iterate(blob, (int)width, (int)count);
    }

    private static IEnumerable<byte[]> Iterate(byte[] blob, int width, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var s = blob.AsSpan(8 + i * width, width);
            long v = width switch
            {
                2 => BinaryPrimitives.ReadInt16LittleEndian(s),
                4 => BinaryPrimitives.ReadInt32LittleEndian(s),
                _ => BinaryPrimitives.ReadInt64LittleEndian(s),
            };
            yield return CompactInteger.ToBytes(v);
        }
    }
}
