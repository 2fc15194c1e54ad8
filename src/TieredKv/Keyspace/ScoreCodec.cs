using System.Buffers.Binary;

namespace TieredKv.Keyspace;

/// <summary>
/// Encodes a double in 8 bytes whose byte order is the numeric order: take the IEEE-754 bits; if
/// the sign is set invert them all, otherwise set the sign bit; big-endian. -0.0 is stored as 0.0.
/// </summary>
public static class ScoreCodec
{
    public static void Encode(double score, Span<byte> destination)
    {
        if (score == 0) score = 0; // folds -0.0 into +0.0, as Redis compares them equal
        ulong bits = (ulong)BitConverter.DoubleToInt64Bits(score);
        bits = (bits & (1UL << 63)) != 0 ? ~bits : bits | (1UL << 63);
        BinaryPrimitives.WriteUInt64BigEndian(destination, bits);
    }

    public static double Decode(ReadOnlySpan<byte> source)
    {
        ulong bits = BinaryPrimitives.ReadUInt64BigEndian(source);
        bits = (bits & (1UL << 63)) != 0 ? bits & ~(1UL << 63) : ~bits;
        return BitConverter.Int64BitsToDouble((long)bits);
    }
}
