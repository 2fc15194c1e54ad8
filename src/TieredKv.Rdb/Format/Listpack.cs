using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>
/// Reads a listpack (listpack.c): total bytes u32, count u16 (65535 = count it), entries, 0xFF.
/// Each entry is an encoding byte (7-bit uint, 6/12/32-bit string length, 13/16/24/32/64-bit integer),
/// its data, then a 1–5 byte back-length used for walking backwards (skipped here).
/// </summary>
public static class Listpack
{
    private const int HeaderSize = 6;
    private const byte End = 0xFF;

    /// <summary>The entries in order; integers as decimal text. <paramref name="baseOffset"/> places errors in the enclosing file.</summary>
    public static IEnumerable<byte[]> Entries(byte[] blob, long baseOffset = 0)
    {
        if (blob.Length < HeaderSize + 1) throw new RdbFormatException(baseOffset, "listpack shorter than its header");
        uint totalBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (totalBytes != blob.Length) throw new RdbFormatException(baseOffset, $"listpack header says {totalBytes} bytes but the string holds {blob.Length}");
        int declared = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4));
        return Iterate(blob, declared, baseOffset);
    }

    private static IEnumerable<byte[]> Iterate(byte[] blob, int declared, long baseOffset)
    {
        int p = HeaderSize, count = 0;
        while (true)
        {
            if (p >= blob.Length) throw new RdbFormatException(baseOffset + p, "listpack without its 0xFF end marker");
            if (blob[p] == End)
            {
                if (p != blob.Length - 1) throw new RdbFormatException(baseOffset + p, "listpack end marker before its last byte");
                if (declared != ushort.MaxValue && declared != count)
                    throw new RdbFormatException(baseOffset + 4, $"listpack header counts {declared} entries but holds {count}");
                yield break;
            }
            yield return ReadEntry(blob, ref p, baseOffset);
            count++;
        }
    }

    private static byte[] ReadEntry(byte[] blob, ref int p, long baseOffset)
    {
        int start = p;
        byte enc = blob[p];
        byte[] result;
        int headerLength, dataLength;
        if ((enc & 0x80) == 0)
        {
            headerLength = 1; dataLength = 0;
            result = CompactInteger.ToBytes(enc & 0x7f);
        }
        else if ((enc & 0xC0) == 0x80)
        {
            headerLength = 1; dataLength = enc & 0x3f;
            result = Slice(blob, start + 1, dataLength, start, baseOffset);
        }
        else if ((enc & 0xE0) == 0xC0)
        {
            headerLength = 2; dataLength = 0;
            Need(blob, start, 2, start, baseOffset);
            int raw = ((enc & 0x1f) << 8) | blob[start + 1];
            result = CompactInteger.ToBytes(raw >= 1 << 12 ? raw - (1 << 13) : raw);
        }
        else if ((enc & 0xF0) == 0xE0)
        {
            headerLength = 2;
            Need(blob, start, 2, start, baseOffset);
            dataLength = ((enc & 0x0f) << 8) | blob[start + 1];
            result = Slice(blob, start + 2, dataLength, start, baseOffset);
        }
        else
        {
            headerLength = 1;
            long value;
            switch (enc)
            {
                case 0xF0:
                    Need(blob, start, 5, start, baseOffset);
                    uint len32 = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(start + 1));
                    if (len32 > int.MaxValue) throw new RdbFormatException(baseOffset + start, "listpack string length out of range");
                    headerLength = 5; dataLength = (int)len32;
                    result = Slice(blob, start + 5, dataLength, start, baseOffset);
                    goto done;
                case 0xF1: dataLength = 2; Need(blob, start, 3, start, baseOffset); value = BinaryPrimitives.ReadInt16LittleEndian(blob.AsSpan(start + 1)); break;
                case 0xF2:
                    dataLength = 3; Need(blob, start, 4, start, baseOffset);
                    value = (blob[start + 1] << 8 | blob[start + 2] << 16 | blob[start + 3] << 24) >> 8;
                    break;
                case 0xF3: dataLength = 4; Need(blob, start, 5, start, baseOffset); value = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(start + 1)); break;
                case 0xF4: dataLength = 8; Need(blob, start, 9, start, baseOffset); value = BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(start + 1)); break;
                default: throw new RdbFormatException(baseOffset + start, $"listpack entry with unknown encoding 0x{enc:x2}");
            }
            result = CompactInteger.ToBytes(value);
        }
    done:
        long entryLength = (long)headerLength + dataLength;
        long next = start + entryLength + BackLengthSize(entryLength);
        if (next > blob.Length - 1) throw new RdbFormatException(baseOffset + start, "listpack entry runs past the end of the listpack");
        p = (int)next;
        return result;
    }

    /// <summary>The back-length holds the entry's length 7 bits per byte.</summary>
    internal static int BackLengthSize(long entryLength) =>
        entryLength <= 127 ? 1 : entryLength < 16383 ? 2 : entryLength < 2097151 ? 3 : entryLength < 268435455 ? 4 : 5;

    private static byte[] Slice(byte[] blob, int from, int length, int start, long baseOffset)
    {
        if ((long)from + length > blob.Length - 1) throw new RdbFormatException(baseOffset + start, "listpack entry runs past the end of the listpack");
        return blob.AsSpan(from, length).ToArray();
    }

    private static void Need(byte[] blob, int start, int length, int entryStart, long baseOffset)
    {
        if ((long)start + length > blob.Length - 1) throw new RdbFormatException(baseOffset + entryStart, "listpack entry runs past the end of the listpack");
    }
}
