namespace TieredKv.Rdb.Format;

/// <summary>
/// LZF as Redis uses it for RDB strings. A control byte below 32 starts a run of ctrl+1 literal bytes;
/// otherwise its top three bits are a match length - 2 (7 means "add the next byte") and its low five bits
/// with the following byte are the distance - 1 back into the output.
/// </summary>
public static class Lzf
{
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
    public static int Compress(ReadOnlySpan<byte> input, Span<byte> output) => new LzfCompressor().Compress(input, output);
}
