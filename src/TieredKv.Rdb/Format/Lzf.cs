namespace TieredKv.Rdb.Format;

/// <summary>
/// LZF as Redis uses it for RDB strings. A control byte below 32 starts a run of ctrl+1 literal bytes;
/// otherwise its top three bits are a match length - 2 (7 means "add the next byte") and its low five bits
/// with the following byte are the distance - 1 back into the output.
/// </summary>
public static class Lzf
{
    private const int MaxLiteralRun = 32;
    private const int MaxDistance = 8192;
    private const int MaxMatch = 264; // 7 + 255 + 2
    private const int HashBits = 14;

    /// <summary>Decompresses into exactly <paramref name="output"/>; false when the input is malformed or does not fill it exactly.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0;
        while (ip < input.Length)
        {
            int ctrl = input[ip++];
            if (ctrl < 32)
            {
                int run = ctrl + 1;
                if (ip + run > input.Length || op + run > output.Length) return false;
                input.Slice(ip, run).CopyTo(output[op..]);
                ip += run;
                op += run;
                continue;
            }
            int length = ctrl >> 5;
            if (length == 7)
            {
                if (ip >= input.Length) return false;
                length += input[ip++];
            }
            length += 2;
            if (ip >= input.Length) return false;
            int reference = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
            if (reference < 0 || op + length > output.Length) return false;
            // Byte by byte: a match may overlap the bytes it produces (a run).
            for (int i = 0; i < length; i++) output[op + i] = output[reference + i];
            op += length;
        }
        return op == output.Length;
    }

    /// <summary>
    /// Compresses <paramref name="input"/> into <paramref name="output"/>; returns the compressed length,
    /// or 0 when it would not fit (callers then store the data uncompressed, as Redis does).
    /// </summary>
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length == 0) return 0;
        var table = new int[1 << HashBits]; // position + 1 of the last 3-byte sequence with this hash; 0 = none
        int ip = 0, op = 0;
        int literalStart = 0;
        while (ip + 2 < input.Length)
        {
            int h = Hash(input, ip);
            int candidate = table[h] - 1;
            table[h] = ip + 1;
            int distance = ip - candidate - 1;
            if (candidate >= 0 && distance < MaxDistance
                && input[candidate] == input[ip] && input[candidate + 1] == input[ip + 1] && input[candidate + 2] == input[ip + 2])
            {
                int max = Math.Min(MaxMatch, input.Length - ip);
                int length = 3;
                while (length < max && input[candidate + length] == input[ip + length]) length++;
                if (!FlushLiterals(input, literalStart, ip, output, ref op)) return 0;
                int code = length - 2;
                if (code < 7)
                {
                    if (op + 2 > output.Length) return 0;
                    output[op++] = (byte)((code << 5) | (distance >> 8));
                }
                else
                {
                    if (op + 3 > output.Length) return 0;
                    output[op++] = (byte)((7 << 5) | (distance >> 8));
                    output[op++] = (byte)(code - 7);
                }
                output[op++] = (byte)distance;
                ip += length;
                literalStart = ip;
                continue;
            }
            ip++;
        }
        if (!FlushLiterals(input, literalStart, input.Length, output, ref op)) return 0;
        return op;
    }

    private static int Hash(ReadOnlySpan<byte> s, int i)
    {
        uint v = (uint)(s[i] << 16 | s[i + 1] << 8 | s[i + 2]);
        return (int)((v * 2654435761u) >> (32 - HashBits));
    }

    private static bool FlushLiterals(ReadOnlySpan<byte> input, int from, int to, Span<byte> output, ref int op)
    {
        while (from < to)
        {
            int run = Math.Min(MaxLiteralRun, to - from);
            if (op + 1 + run > output.Length) return false;
            output[op++] = (byte)(run - 1);
            input.Slice(from, run).CopyTo(output[op..]);
            op += run;
            from += run;
        }
        return true;
    }
}
