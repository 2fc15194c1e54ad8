using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Server.Network;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Commands;

/// <summary>What a command handler works with: its arguments, the client, the reply and the server.</summary>
internal sealed class CommandContext(ServerState server, ClientSession client, CommandArgs args, RespWriter reply)
{
    public ServerState Server { get; } = server;
    public ClientSession Client { get; } = client;
    public CommandArgs Args { get; } = args;
    public RespWriter Reply { get; } = reply;

    /// <summary>The database the client has selected.</summary>
    public KvDatabase Db => Server.Store[Client.Database];

    public int ArgCount => Args.Count;

    public byte[] Arg(int index) => Args.ToArray(index);

    public string Text(int index) => Args.ToText(index);

    /// <summary>The arguments from <paramref name="start"/> on, copied (keys, members, fields).</summary>
    public List<byte[]> ArgList(int start)
    {
        var list = new List<byte[]>(Math.Max(ArgCount - start, 0));
        for (int i = start; i < ArgCount; i++) list.Add(Arg(i));
        return list;
    }

    /// <summary>Parses an integer argument as Redis does, or throws its error.</summary>
    public long Integer(int index, string error = "ERR value is not an integer or out of range")
    {
        if (!KvDatabaseParsing.TryParseInteger(Args[index], out long value)) throw new KvException(error);
        return value;
    }

    /// <summary>Parses a float argument (accepting inf/-inf), or throws Redis's error.</summary>
    public double Float(int index, string error = "ERR value is not a valid float")
    {
        if (!KvDatabaseParsing.TryParseDouble(Args[index], out double value)) throw new KvException(error);
        return value;
    }

    /// <summary>The numkeys argument of LMPOP, ZMPOP and SINTERCARD: at least 1, with Redis's text for both failures.</summary>
    public int NumKeys(int index)
    {
        long n = Integer(index, "ERR numkeys should be greater than 0");
        if (n < 1) throw new KvException("ERR numkeys should be greater than 0");
        return (int)Math.Min(n, int.MaxValue);
    }

    /// <summary>
    /// The count of HRANDFIELD/ZRANDMEMBER/SRANDMEMBER: Redis refuses a negative count it cannot
    /// negate, and with values one whose pairs would overflow (|count| × 2), each with its own text.
    /// </summary>
    public long RandomCount(int index, bool withValues)
    {
        long count = Integer(index);
        if (count == long.MinValue && !withValues)
            throw new KvException($"ERR value is out of range, value must between {-long.MaxValue} and {long.MaxValue}");
        if (withValues && count < -long.MaxValue / 2) throw new KvException("ERR value is out of range");
        return count;
    }

    public static KvException Syntax() => new("ERR syntax error");

    public static KvException WrongArity(string name) => new($"ERR wrong number of arguments for '{name}' command");

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}

/// <summary>Number parsing with Redis's rules, shared by the commands.</summary>
internal static class KvDatabaseParsing
{
    /// <summary>Redis's string2ll: optional '-', digits, no '+', no leading zeros or spaces, within 64 bits.</summary>
    public static bool TryParseInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 20) return false;
        if (s.Length > 1 && (s[0] == (byte)'0' || (s[0] == (byte)'-' && s[1] == (byte)'0'))) return false;
        if (s[0] == (byte)'+' || s[0] == (byte)' ' || s[^1] == (byte)' ') return false;
        return System.Buffers.Text.Utf8Parser.TryParse(s, out value, out int consumed) && consumed == s.Length;
    }

    /// <summary>
    /// A double as Redis's strtod-based parsing accepts it: inf, -inf, +inf allowed; NaN and spaces
    /// refused, and so are literals out of a double's range (strtod's ERANGE: 1e400, 1e-400).
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value) => TryParseStrtod(s, out value, out bool outOfRange) && !outOfRange;

    /// <summary>
    /// As <see cref="TryParseDouble"/> but reporting instead of refusing a literal out of range, which
    /// becomes ±inf or 0 as strtod makes it (score ranges accept those).
    /// </summary>
    public static bool TryParseStrtod(ReadOnlySpan<byte> s, out double value, out bool outOfRange)
    {
        value = 0;
        outOfRange = false;
        if (s.IsEmpty || s.Length > 256 || IsSpace(s[0]) || IsSpace(s[^1])) return false;
        string text = Encoding.ASCII.GetString(s);
        switch (text.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        if (double.IsNaN(value)) return false;
        // .NET rounds overflow to infinity and underflow to zero where strtod also sets ERANGE.
        outOfRange = double.IsInfinity(value) || (value == 0 && HasNonZeroDigit(text));
        return true;
    }

    /// <summary>C's isspace: .NET's number parsing would skip these where Redis refuses them.</summary>
    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r';

    /// <summary>Whether the mantissa of a decimal literal has a digit other than 0.</summary>
    private static bool HasNonZeroDigit(string text)
    {
        foreach (char ch in text)
        {
            if (ch is 'e' or 'E') return false;
            if (ch is >= '1' and <= '9') return true;
        }
        return false;
    }
}
