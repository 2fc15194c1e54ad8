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

    /// <summary>A double as Redis's strtod-based parsing accepts it: inf, -inf, +inf allowed; NaN and spaces refused.</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 256 || s[0] == (byte)' ' || s[^1] == (byte)' ') return false;
        string text = Encoding.ASCII.GetString(s);
        switch (text.ToLowerInvariant())
        {
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return false;
        return !double.IsNaN(value);
    }
}
