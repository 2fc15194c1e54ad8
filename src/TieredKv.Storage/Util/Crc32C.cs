using System.Buffers.Binary;
using System.Numerics;

namespace TieredKv.Storage.Util;

/// <summary>CRC-32C (Castagnoli), hardware-accelerated where the CPU has it.</summary>
/// <remarks>
/// System.IO.Hashing has only the IEEE CRC-32; <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the
/// SSE4.2 / ARMv8 instruction and falls back to software elsewhere.
/// Stored checksums are masked (as LevelDB does) so that a CRC computed over data that itself
/// contains CRCs does not degenerate.
/// </remarks>
public static class Crc32C
{
    private const uint MaskDelta = 0xa282ead8u;

    /// <summary>The standard CRC-32C of <paramref name="data"/> (crc32c("123456789") = 0xE3069283).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFFu, data);

    /// <summary>Continues a CRC over more bytes; <paramref name="crc"/> is the value returned by a previous <see cref="Compute"/>.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }

    private static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data)
            crc = BitOperations.Crc32C(crc, b);
        return crc;
    }
}
