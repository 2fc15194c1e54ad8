using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Numbers;
using TieredKv.Server.Protocol;

namespace TieredKv.Server.Dispatch;

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

    /// <summary>
    /// Set by a write command that found nothing to change (SETBIT of a bit already so): as Redis, it then counts
    /// no change for the next save, touches no WATCH and wakes no blocked client. Reset before each command.
    /// </summary>
    public bool ChangedNothing { get; set; }

    /// <summary>The subcommand the dispatcher resolved for a container command (CONFIG GET, CLIENT ID …), or null.</summary>
    public CommandSpec? Subcommand { get; set; }

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
        if (!RedisNumbers.TryParseInteger(Args[index], out long value)) throw new KvException(error);
        return value;
    }

    /// <summary>Parses a float argument (accepting inf/-inf), or throws Redis's error.</summary>
    public double Float(int index, string error = "ERR value is not a valid float")
    {
        if (!RedisNumbers.TryParseDouble(Args[index], out double value)) throw new KvException(error);
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
