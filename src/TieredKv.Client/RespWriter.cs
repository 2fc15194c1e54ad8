using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TieredKv.Client;

/// <summary>Encodes commands as RESP arrays of bulk strings into a buffered stream.</summary>
internal sealed class RespWriter(Stream output)
{
    public void WriteCommand(ReadOnlySpan<object> args)
    {
        WriteHeader((byte)'*', args.Length);
        foreach (var arg in args)
        {
            switch (arg)
            {
                case byte[] bytes:
                    WriteBulk(bytes);
                    break;
                case ReadOnlyMemory<byte> memory:
                    WriteBulk(memory.Span);
                    break;
                case string s:
                    WriteString(s);
                    break;
                case int or long:
                {
                    Span<byte> digits = stackalloc byte[20];
                    Utf8Formatter.TryFormat(Convert.ToInt64(arg, CultureInfo.InvariantCulture), digits, out int written);
                    WriteBulk(digits[..written]);
                    break;
                }
                case IFormattable f:
                    WriteString(f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                case null:
                    throw new ArgumentNullException(nameof(args), "a RESP argument cannot be null");
                default:
                    throw new ArgumentException($"cannot send a {arg.GetType().Name} as a RESP argument", nameof(args));
            }
        }
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) => output.Write(bytes);

    private void WriteString(string s)
    {
        int max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (max <= 512)
        {
            Span<byte> small = stackalloc byte[max];
            WriteBulk(small[..Encoding.UTF8.GetBytes(s, small)]);
            return;
        }
        byte[] rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            WriteBulk(rented.AsSpan(0, Encoding.UTF8.GetBytes(s, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void WriteBulk(ReadOnlySpan<byte> bytes)
    {
        WriteHeader((byte)'$', bytes.Length);
        output.Write(bytes);
        output.Write("\r\n"u8);
    }

    private void WriteHeader(byte kind, int n)
    {
        Span<byte> line = stackalloc byte[16];
        line[0] = kind;
        Utf8Formatter.TryFormat(n, line[1..], out int written);
        line[1 + written] = (byte)'\r';
        line[2 + written] = (byte)'\n';
        output.Write(line[..(3 + written)]);
    }
}
