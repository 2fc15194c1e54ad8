using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>
/// Reads a zipmap (zipmap.c, hashes of RDB versions before 4): a count byte, then per pair a key length,
/// key, value length, a "free" byte, value and that many unused bytes; 0xFF ends it. Lengths below 254
/// are one byte, otherwise 254 + u32.
/// </summary>
public static class Zipmap
{
    private const byte BigLength = 254;
    private const byte End = 0xFF;

    public static IEnumerable<KeyValuePair<byte[], byte[]>> Pairs(byte[] blob, long baseOffset = 0)
    {
        if (blob.Length < 2) throw new RdbFormatException(baseOffset, "zipmap shorter than its header");
        return Iterate(blob, baseOffset);
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(byte[] blob, long baseOffset)
    {
        int p = 1;
        while (true)
        {
            if (p >= blob.Length) throw new RdbFormatException(baseOffset + p, "zipmap without its 0xFF end marker");
            if (blob[p] == End)
            {
                if (p != blob.Length - 1) throw new RdbFormatException(baseOffset + p, "zipmap end marker before its last byte");
                yield break;
            }
            int start = p;
            byte[] key = ReadBytes(blob, ref p, ReadLength(blob, ref p, start, baseOffset), start, baseOffset);
            int valueLength = ReadLength(blob, ref p, start, baseOffset);
            if (p >= blob.Length - 1) throw new RdbFormatException(baseOffset + start, "zipmap entry runs past the end");
            int free = blob[p++];
            byte[] value = ReadBytes(blob, ref p, valueLength, start, baseOffset);
            if ((long)p + free > blob.Length - 1) throw new RdbFormatException(baseOffset + start, "zipmap free space runs past the end");
            p += free;
            yield return new(key, value);
        }
    }

    private static byte[] ReadBytes(byte[] blob, ref int p, int length, int start, long baseOffset)
    {
        if ((long)p + length > blob.Length - 1) throw new RdbFormatException(baseOffset + start, "zipmap entry runs past the end");
        var s = blob.AsSpan(p, length).ToArray();
        p += length;
        return s;
    }

    private static int ReadLength(byte[] blob, ref int p, int start, long baseOffset)
    {
        if (p >= blob.Length) throw new RdbFormatException(baseOffset + start, "zipmap entry runs past the end");
        byte first = blob[p++];
        if (first < BigLength) return first;
        if (first != BigLength || p + 4 > blob.Length) throw new RdbFormatException(baseOffset + start, "zipmap entry with a bad length");
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(p));
        p += 4;
        if (length > int.MaxValue) throw new RdbFormatException(baseOffset + start, "zipmap length out of range");
        return (int)length;
    }
}
