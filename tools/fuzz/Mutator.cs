using System.Buffers.Binary;

namespace TieredKv.Fuzz;

/// <summary>
/// Byte-level mutations in the spirit of AFL's havoc stage: bit flips, interesting bytes, length-field extremes
/// (2/4/8 bytes, both endians), chunk insert/delete/duplicate, splicing two inputs and truncation.
/// </summary>
internal sealed class Mutator(Random random, int maxLength)
{
    private static ReadOnlySpan<byte> InterestingBytes => [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF, 0x0D, 0x0A, 0x24, 0x2A, 0x3F, 0x40, 0xC0, 0xF0];

    private static readonly ulong[] InterestingWords =
    [
        0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, 0x3FFF_FFFF, 0x4000_0000, 0x10_0000, 0x7FFF_FFC7,
    ];

    /// <summary>A mutant of <paramref name="input"/>, occasionally spliced with <paramref name="other"/>; 1–8 stacked mutations.</summary>
    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        int rounds = 1 << random.Next(4);
        for (int i = 0; i < rounds; i++) MutateOnce(data, other);
        if (data.Count > maxLength) data.RemoveRange(maxLength, data.Count - maxLength);
        return [.. data];
    }

    private void MutateOnce(List<byte> data, byte[] other)
    {
        if (data.Count == 0)
        {
            data.Add(InterestingBytes[random.Next(InterestingBytes.Length)]);
            return;
        }
        int at = random.Next(data.Count);
        switch (random.Next(11))
        {
            case 0:
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                data[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2:
                data[at] = (byte)random.Next(256);
                break;
            case 3:
                data[at] = (byte)(data[at] + random.Next(-16, 17));
                break;
            case 4:
                OverwriteWord(data, at);
                break;
            case 5:
            {
                // Insert random or repeated bytes.
                int n = 1 + random.Next(Math.Min(64, maxLength));
                byte fill = (byte)random.Next(256);
                bool repeat = random.Next(2) == 0;
                data.InsertRange(at, Enumerable.Range(0, n).Select(_ => repeat ? fill : (byte)random.Next(256)));
                break;
            }
            case 6:
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(Math.Max(1, data.Count / 4))));
                break;
            case 7:
            {
                // Duplicate a chunk: repeats records, elements and commands.
                int length = 1 + random.Next(Math.Min(data.Count - at, 256));
                var chunk = data.GetRange(at, length);
                data.InsertRange(random.Next(data.Count + 1), chunk);
                break;
            }
            case 8:
                if (other.Length > 0)
                {
                    int from = random.Next(other.Length);
                    var tail = other.AsSpan(from, 1 + random.Next(other.Length - from)).ToArray();
                    data.RemoveRange(at, data.Count - at);
                    data.AddRange(tail);
                }
                break;
            case 9:
                data.RemoveRange(at, data.Count - at);
                break;
            default:
            {
                // Copy a chunk over another place in the same input.
                int length = 1 + random.Next(Math.Min(data.Count - at, 32));
                var chunk = data.GetRange(at, length);
                int to = random.Next(data.Count);
                for (int k = 0; k < chunk.Count && to + k < data.Count; k++) data[to + k] = chunk[k];
                break;
            }
        }
    }

    private void OverwriteWord(List<byte> data, int at)
    {
        int width = random.Next(3) switch { 0 => 2, 1 => 4, _ => 8 };
        ulong value = InterestingWords[random.Next(InterestingWords.Length)];
        if (random.Next(4) == 0) value = (ulong)data.Count + (ulong)random.Next(-8, 9); // near the real size
        Span<byte> word = stackalloc byte[8];
        if (random.Next(2) == 0) BinaryPrimitives.WriteUInt64LittleEndian(word, value);
        else BinaryPrimitives.WriteUInt64BigEndian(word, value << (8 * (8 - width)));
        for (int k = 0; k < width && at + k < data.Count; k++) data[at + k] = word[k];
    }
}
