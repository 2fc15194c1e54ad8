using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace TieredKv.Server.Protocol;

/// <summary>
/// Writes RESP replies into a buffer writer (the connection's pipe), in RESP2 or RESP3 as the
/// client chose with HELLO. RESP3-only types degrade as Redis degrades them for RESP2 clients.
/// </summary>
internal sealed class RespWriter(IBufferWriter<byte> output)
{
    private readonly IBufferWriter<byte> _output = output;
    private IBufferWriter<byte> _out = output;
    private ArrayBufferWriter<byte>? _discarded;

    /// <summary>2 or 3.</summary>
    public int Protocol { get; set; } = 2;

    /// <summary>CLIENT REPLY OFF or SKIP: what is written goes nowhere until this is cleared.</summary>
    public bool Discarding
    {
        get => !ReferenceEquals(_out, _output);
        set
        {
            if (!value)
            {
                _out = _output;
                return;
            }
            _discarded ??= new ArrayBufferWriter<byte>();
            _discarded.ResetWrittenCount();
            _out = _discarded;
        }
    }

    public bool IsResp3 => Protocol == 3;

    public static ReadOnlySpan<byte> Ok => "+OK\r\n"u8;
    public static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        var span = _out.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _out.Advance(bytes.Length);
    }

    public void WriteOk() => WriteRaw(Ok);

    public void WriteSimpleString(string s)
    {
        WriteByte((byte)'+');
        WriteAscii(s);
        WriteRaw(Crlf);
    }

    /// <summary>An error reply; <paramref name="message"/> is the text after '-' (e.g. "ERR syntax error").</summary>
    public void WriteError(string message)
    {
        WriteByte((byte)'-');
        // Errors are one line: Redis replaces newlines with spaces.
        WriteUtf8(message.Replace('\r', ' ').Replace('\n', ' '));
        WriteRaw(Crlf);
    }

    public void WriteInteger(long value)
    {
        WriteByte((byte)':');
        WriteNumber(value);
        WriteRaw(Crlf);
    }

    public void WriteBulk(ReadOnlySpan<byte> value)
    {
        WriteByte((byte)'$');
        WriteNumber(value.Length);
        WriteRaw(Crlf);
        WriteRaw(value);
        WriteRaw(Crlf);
    }

    public void WriteBulk(string value) => WriteBulk(Encoding.UTF8.GetBytes(value));

    public void WriteBulkOrNull(byte[]? value)
    {
        if (value == null) WriteNull();
        else WriteBulk(value);
    }

    /// <summary>The null reply: <c>$-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNull() => WriteRaw(IsResp3 ? "_\r\n"u8 : "$-1\r\n"u8);

    /// <summary>A null array: <c>*-1</c> in RESP2, <c>_</c> in RESP3.</summary>
    public void WriteNullArray() => WriteRaw(IsResp3 ? "_\r\n"u8 : "*-1\r\n"u8);

    public void WriteArrayHeader(long count) => WriteHeader((byte)'*', count);

    /// <summary>An array of bulk strings.</summary>
    public void WriteBulkArray(IReadOnlyCollection<byte[]> items)
    {
        WriteArrayHeader(items.Count);
        foreach (var item in items) WriteBulk(item);
    }

    /// <summary>A map of <paramref name="pairs"/> entries: <c>%</c> in RESP3, a flat array in RESP2.</summary>
    public void WriteMapHeader(long pairs)
    {
        if (IsResp3) WriteHeader((byte)'%', pairs);
        else WriteHeader((byte)'*', pairs * 2);
    }

    /// <summary>A set reply: <c>~</c> in RESP3, an array in RESP2.</summary>
    public void WriteSetHeader(long count) => WriteHeader(IsResp3 ? (byte)'~' : (byte)'*', count);

    /// <summary>A push message (pub/sub in RESP3); an array in RESP2.</summary>
    public void WritePushHeader(long count) => WriteHeader(IsResp3 ? (byte)'>' : (byte)'*', count);

    /// <summary>A double: <c>,</c> in RESP3, a bulk string in RESP2, formatted as Redis formats scores.</summary>
    public void WriteDouble(double value)
    {
        string text = FormatDouble(value);
        if (IsResp3)
        {
            WriteByte((byte)',');
            WriteAscii(text);
            WriteRaw(Crlf);
        }
        else
        {
            WriteBulk(Encoding.ASCII.GetBytes(text));
        }
    }

    /// <summary>A boolean: <c>#t</c>/<c>#f</c> in RESP3, 1/0 in RESP2.</summary>
    public void WriteBoolean(bool value)
    {
        if (IsResp3) WriteRaw(value ? "#t\r\n"u8 : "#f\r\n"u8);
        else WriteInteger(value ? 1 : 0);
    }

    /// <summary>A verbatim string (<c>=</c>, RESP3) or a bulk string (RESP2), as INFO replies.</summary>
    public void WriteVerbatim(string text)
    {
        if (!IsResp3)
        {
            WriteBulk(text);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteByte((byte)'=');
        WriteNumber(bytes.Length + 4);
        WriteRaw(Crlf);
        WriteRaw("txt:"u8);
        WriteRaw(bytes);
        WriteRaw(Crlf);
    }

    /// <summary>Redis's score formatting: integers without a fraction, otherwise 17 significant digits; inf/-inf/nan.</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (double.IsNaN(value)) return "nan";
        if (value == Math.Floor(value) && Math.Abs(value) < 1e17) return ((long)value).ToString(CultureInfo.InvariantCulture) is var s && value == 0 && double.IsNegative(value) ? "-0" : s;
        return value.ToString("G17", CultureInfo.InvariantCulture).Replace("E+", "e+").Replace("E-", "e-");
    }

    private void WriteHeader(byte type, long count)
    {
        WriteByte(type);
        WriteNumber(count);
        WriteRaw(Crlf);
    }

    private void WriteByte(byte b)
    {
        _out.GetSpan(1)[0] = b;
        _out.Advance(1);
    }

    private void WriteNumber(long value)
    {
        var span = _out.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        _out.Advance(written);
    }

    private void WriteAscii(string s)
    {
        var span = _out.GetSpan(s.Length);
        int n = Encoding.ASCII.GetBytes(s, span);
        _out.Advance(n);
    }

    private void WriteUtf8(string s)
    {
        var span = _out.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
        int n = Encoding.UTF8.GetBytes(s, span);
        _out.Advance(n);
    }
}
