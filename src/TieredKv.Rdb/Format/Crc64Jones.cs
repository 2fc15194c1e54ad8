using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TieredKv.Rdb.Format;

/// <summary>
/// CRC-64/Jones as Redis computes it for RDB files and DUMP payloads: polynomial 0xad93d23594c935a9,
/// reflected, initial value 0, no final xor. Slicing-by-8 because whole multi-gigabyte files go through it.
/// </summary>
public static class Crc64Jones
{
    /// <summary>The polynomial with its bits reversed, as the reflected (LSB-first) algorithm uses it.</summary>
    private const ulong ReflectedPolynomial = 0x95AC9329AC4BC9B5UL;

    // Table[k * 256 + b] is the CRC of byte b followed by k zero bytes; filled once and never written again.
    private static readonly ulong[] Table = BuildTable();

    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);

    /// <summary>Continues a CRC over more data; Update(Update(0, a), b) == Compute(a ++ b).</summary>
    public static ulong Update(ulong crc, ReadOnlySpan<byte> data)
    {
        // Unchecked indexing: every index is a byte plus a multiple of 256 inside the 2048-entry table.
        ref ulong t = ref MemoryMarshal.GetArrayDataReference(Table);
        ref byte p = ref MemoryMarshal.GetReference(data);
        int n = data.Length, i = 0;
        for (; i + 8 <= n; i += 8)
        {
            ulong x = crc ^ BinaryPrimitives.ReadUInt64LittleEndian(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref p, i), 8));
            crc = Unsafe.Add(ref t, 7 * 256 + (int)(x & 0xff)) ^ Unsafe.Add(ref t, 6 * 256 + (int)((x >> 8) & 0xff))
                ^ Unsafe.Add(ref t, 5 * 256 + (int)((x >> 16) & 0xff)) ^ Unsafe.Add(ref t, 4 * 256 + (int)((x >> 24) & 0xff))
                ^ Unsafe.Add(ref t, 3 * 256 + (int)((x >> 32) & 0xff)) ^ Unsafe.Add(ref t, 2 * 256 + (int)((x >> 40) & 0xff))
                ^ Unsafe.Add(ref t, 256 + (int)((x >> 48) & 0xff)) ^ Unsafe.Add(ref t, (int)(x >> 56));
        }
        for (; i < n; i++)
            crc = Unsafe.Add(ref t, (int)((crc ^ Unsafe.Add(ref p, i)) & 0xff)) ^ (crc >> 8);
        return crc;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[8 * 256];
        for (int b = 0; b < 256; b++)
        {
            ulong crc = (ulong)b;
            for (int bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            table[b] = crc;
        }
        for (int k = 1; k < 8; k++)
            for (int b = 0; b < 256; b++)
            {
                ulong previous = table[(k - 1) * 256 + b];
                table[k * 256 + b] = table[previous & 0xff] ^ (previous >> 8);
            }
        return table;
    }
}
