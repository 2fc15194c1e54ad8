using System.Buffers;

namespace TieredKv.Server.Protocol;

/// <summary>Splits an inline command line into arguments as Redis's sdssplitargs does: spaces separate, "…" and '…' quote, \x escapes in double quotes.</summary>
internal static class InlineSplitter
{
    /// <returns>False when quotes are unbalanced (or a closing quote is not followed by a space).</returns>
    public static bool Split(ReadOnlySpan<byte> line, CommandArgs args)
    {
        int i = 0;
        while (i < line.Length && IsSpace(line[i])) i++;
        if (i >= line.Length) return true; // a blank line: nothing to decode, nothing allocated
        // An argument decodes to at most as many bytes as the line holds.
        byte[] current = ArrayPool<byte>.Shared.Rent(line.Length);
        try
        {
            return SplitInto(line, i, current, args);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
        }
    }

    private static bool SplitInto(ReadOnlySpan<byte> line, int i, byte[] current, CommandArgs args)
    {
        while (true)
        {
            while (i < line.Length && IsSpace(line[i])) i++;
            if (i >= line.Length) return true;
            int length = 0;
            bool inDouble = false, inSingle = false, done = false;
            while (!done)
            {
                if (inDouble)
                {
                    if (i >= line.Length) return false;
                    byte c = line[i];
                    if (c == (byte)'\\' && i + 3 < line.Length && line[i + 1] == (byte)'x' && IsHex(line[i + 2]) && IsHex(line[i + 3]))
                    {
                        current[length++] = (byte)(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3]));
                        i += 3;
                    }
                    else if (c == (byte)'\\' && i + 1 < line.Length)
                    {
                        i++;
                        current[length++] = line[i] switch
                        {
                            (byte)'n' => (byte)'\n',
                            (byte)'r' => (byte)'\r',
                            (byte)'t' => (byte)'\t',
                            (byte)'b' => (byte)'\b',
                            (byte)'a' => (byte)'\a',
                            var other => other,
                        };
                    }
                    else if (c == (byte)'"')
                    {
                        if (i + 1 < line.Length && !IsSpace(line[i + 1])) return false;
                        done = true;
                    }
                    else current[length++] = c;
                }
                else if (inSingle)
                {
                    if (i >= line.Length) return false;
                    byte c = line[i];
                    if (c == (byte)'\\' && i + 1 < line.Length && line[i + 1] == (byte)'\'')
                    {
                        i++;
                        current[length++] = (byte)'\'';
                    }
                    else if (c == (byte)'\'')
                    {
                        if (i + 1 < line.Length && !IsSpace(line[i + 1])) return false;
                        done = true;
                    }
                    else current[length++] = c;
                }
                else
                {
                    if (i >= line.Length) { done = true; break; }
                    byte c = line[i];
                    if (IsSpace(c)) done = true;
                    else if (c == (byte)'"') inDouble = true;
                    else if (c == (byte)'\'') inSingle = true;
                    else current[length++] = c;
                }
                if (i < line.Length) i++;
            }
            current.AsSpan(0, length).CopyTo(args.Add(length));
        }
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or 0 or 0x0B or 0x0C;
    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    private static int HexValue(byte c) => c <= (byte)'9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
