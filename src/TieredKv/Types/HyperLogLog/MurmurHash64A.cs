using System.Buffers.Binary;

namespace TieredKv.Types.HyperLogLog;

/// <summary>
/// Austin Appleby's MurmurHash64A (64-bit multiply-and-mix over 8-byte little-endian blocks, the
/// tail folded in byte by byte), the hash Redis's HyperLogLog applies to each element.
/// </summary>
internal static class MurmurHash64A
{
    private const ulong M = 0xc6a4a7935bd1e995UL;
    private const int R = 47;

    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed)
    {
        ulong h = seed ^ unchecked((ulong)data.Length * M);
        int blocks = data.Length / 8;
        for (int i = 0; i < blocks; i++)
        {
            ulong k = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 8, 8));
            k = unchecked(k * M);
            k ^= k >> R;
            k = unchecked(k * M);
            h ^= k;
            h = unchecked(h * M);
        }
        var tail = data[(blocks * 8)..];
        if (!tail.IsEmpty)
        {
            for (int i = tail.Length - 1; i >= 0; i--) h ^= (ulong)tail[i] << (8 * i);
            h = unchecked(h * M);
        }
        h ^= h >> R;
        h = unchecked(h * M);
        h ^= h >> R;
        return h;
    }
}
