using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>
/// Reads a ziplist (ziplist.c): zlbytes u32, zltail u32, zllen u16 (65535 = count it), entries, 0xFF.
/// Each entry is a previous-entry length (1 byte, or 0xFE + u32) then an encoding byte that says
/// whether a string (6/14/32-bit length) or an integer (8/16/24/32/64-bit, or 0..12 inside the byte) follows.
/// </summary>
public static class Ziplist
{
    private const int HeaderSize = 10;
    private const byte End = 0xFF;

    /// <summary>The entries in order; integers as decimal text. <paramref name="baseOffset"/> places errors in the enclosing file.</summary>
    public static IEnumerable<byte[]> Entries(byte[] blob, long baseOffset = 0)
    {
        if (blob.Length < HeaderSize + 1) throw new RdbFormatException(baseOffset, "ziplist shorter than its header");
        uint totalBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (totalBytes != blob.Length) throw new RdbFormatException(baseOffset, $"ziplist header says {totalBytes} bytes but the string holds {blob.Length}");
        int declared = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(8));
        return Iterate(blob, declared, baseOffset);
    }

    private static IEnumerable<byte[]> Iterate(byte[] blob, int declared, long baseOffset)
    {
        int p = HeaderSize, count = 0;
        while (true)
        {
            if (p >= blob.Length) throw new RdbFormatException(baseOffset + p, "ziplist without its 0xFF end marker");
            if (blob[p] == End)
            {
                if (p != blob.Length - 1) throw new RdbFormatException(baseOffset + p, "ziplist end marker before its last byte");
                if (declared != ushort.MaxValue && declared != count)
                    throw new RdbFormatException(baseOffset + 8, $"ziplist header counts {declared} entries but holds {count}");
                yield break;
            }
            yield return ReadEntry(blob, ref p, baseOffset);
            count++;
        }
    }

    private static byte[] ReadEntry(byte[] blob, ref int p, long baseOffset)
    {
        int start = p;
        p += blob[p] == 0xFE ? 5 : 1; // previous entry's length: not needed reading forwards
        Need(blob, p, 1, start, baseOffset);
        byte enc = blob[p];
        switch (enc >> 6)
        {
            case 0:
                p += 1;
                return Bytes(blob, ref p, enc & 0x3f, start, baseOffset);
            case 1:
                Need(blob, p, 2, start, baseOffset);
                int len14 = ((enc & 0x3f) << 8) | blob[p + 1];
                p += 2;
                return Bytes(blob, ref p, len14, start, baseOffset);
            case 2:
                Need(blob, p, 5, start, baseOffset);
                uint len32 = BinaryPrimitives.ReadUInt32BigEndian(blob.AsSpan(p + 1));
                p += 5;
                if (len32 > int.MaxValue) throw new RdbFormatException(baseOffset + start, "ziplist string length out of range");
                return Bytes(blob, ref p, (int)len32, start, baseOffset);
        }
        p += 1;
        long value;
        switch (enc)
        {
            case 0xC0: Need(blob, p, 2, start, baseOffset); value = BinaryPrimitives.ReadInt16LittleEndian(blob.AsSpan(p)); p += 2; break;
            case 0xD0: Need(blob, p, 4, start, baseOffset); value = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(p)); p += 4; break;
            case 0xE0: Need(blob, p, 8, start, baseOffset); value = BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(p)); p += 8; break;
            case 0xF0:
                Need(blob, p, 3, start, baseOffset);
                // 24-bit two's complement: shift into the top of an int and back to sign-extend.
                value = (blob[p] << 8 | blob[p + 1] << 16 | blob[p + 2] << 24) >> 8;
                p += 3;
                break;
            case 0xFE: Need(blob, p, 1, start, baseOffset); value = (sbyte)blob[p]; p += 1; break;
            default:
                if (enc >= 0xF1 && enc <= 0xFD) { value = (enc & 0x0f) - 1; break; }
                throw new RdbFormatException(baseOffset + start, $"ziplist entry with unknown encoding 0x{enc:x2}");
        }
        return CompactInteger.ToBytes(value);
    }

    private static byte[] Bytes(byte[] blob, ref int p, int length, int start, long baseOffset)
    {
        Need(blob, p, length, start, baseOffset);
        var s = blob.AsSpan(p, length).ToArray();
        p += length;
        return s;
    }

    private static void Need(byte[] blob, int p, int length, int start, long baseOffset)
    {
        if ((long)p + length > blob.Length - 1) // the last byte is the end marker
            throw new RdbFormatException(baseOffset + start, "ziplist entry runs past the end of the ziplist");
    }
}
