using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>
/// CRC-64/Jones as Redis computes it for RDB files and DUMP payloads: polynomial 0xad93d23594c935a9,
/// reflected, initial value 0, no final xor. Slicing-by-8 because whole multi-gigabyte files go through it.
/// </summary>
public static class Crc64Jones
{
    /// <summary>The polynomial with its bits reversed, as the reflected (LSB-first) algorithm uses it.</summary>
    private const ulong ReflectedPolynomial = 0x95AC9329AC4BC9B5UL;

    // Tables[k][b] is the CRC of byte b followed by k zero bytes; filled once and never written again.
    private static readonly ulong[][] Tables = BuildTables();

    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);

    /// <summary>Continues a CRC over more data; Update(Update(0, a), b) == Compute(a ++ b).</summary>
    public static ulong Update(ulong crc, ReadOnlySpan<byte> data)
    {
        ulong[] t0 = Tables[0], t1 = Tables[1], t2 = Tables[2], t3 = Tables[3];
        ulong[] t4 = Tables[4], t5 = Tables[5], t6 = Tables[6], t7 = Tables[7];
        while (data.Length >= 8)
        {
            ulong x = crc ^ BinaryPrimitives.ReadUInt64LittleEndian(data);
            crc = t7[x & 0xff] ^ t6[(x >> 8) & 0xff] ^ t5[(x >> 16) & 0xff] ^ t4[(x >> 24) & 0xff]
                ^ t3[(x >> 32) & 0xff] ^ t2[(x >> 40) & 0xff] ^ t1[(x >> 48) & 0xff] ^ t0[x >> 56];
            data = data[8..];
        }
        foreach (byte b in data)
            crc = t0[(crc ^ b) & 0xff] ^ (crc >> 8);
        return crc;
    }

    private static ulong[][] BuildTables()
    {
        var tables = new ulong[8][];
        for (int k = 0; k < 8; k++) tables[k] = new ulong[256];
        for (int b = 0; b < 256; b++)
        {
            ulong crc = (ulong)b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            tables[0][b] = crc;
        }
        for (int b = 0; b < 256; b++)
            for (int k = 1; k < 8; k++)
                tables[k][b] = tables[0][tables[k - 1][b] & 0xff] ^ (tables[k - 1][b] >> 8);
        return tables;
    }
}
