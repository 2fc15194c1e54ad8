namespace TieredKv.Rdb.Format;

/// <summary>
/// An LZF compressor that keeps its hash table between calls, so many short strings (an RDB's values) cost
/// no allocation or clearing each: entries carry a running base, and those below the current base are stale.
/// Not thread-safe.
/// </summary>
public sealed class LzfCompressor
{
    private const int MaxLiteralRun = 32;
    private const int MaxDistance = 8192;
    private const int MaxMatch = 264;
    private const int DefaultHashBits = 14;

    private readonly int[] _table;
    private readonly int _hashBits;
    private int _base;

    /// <param name="hashBits">Size of the match table (2^bits ints): the default suits whole files; one short DUMP payload needs far less.</param>
    public LzfCompressor(int hashBits = DefaultHashBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashBits, 8);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hashBits, 20);
        _hashBits = hashBits;
        _table = new int[1 << hashBits];
    }

    /// <summary>As <see cref="Lzf.Compress"/>.</summary>
    public int Compress(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length == 0) return 0;
        if (_base > int.MaxValue - input.Length - 1)
        {
            Array.Clear(_table);
            _base = 0;
        }
        int result = CompressWith(_table, _hashBits, _base, input, output);
        _base += input.Length + 1;
        return result;
    }

    private static int CompressWith(int[] table, int hashBits, int generation, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int ip = 0, op = 0;
        int literalStart = 0;
        while (ip + 2 < input.Length)
        {
            int h = Hash(input, ip, hashBits);
            int stored = table[h];
            // Entries from earlier calls lie at or below this call's base: no candidate.
            int candidate = stored > generation ? stored - generation - 1 : -1;
            table[h] = generation + ip + 1;
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

    private static int Hash(ReadOnlySpan<byte> s, int i, int hashBits)
    {
        uint v = (uint)(s[i] << 16 | s[i + 1] << 8 | s[i + 2]);
        return (int)((v * 2654435761u) >> (32 - hashBits));
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
