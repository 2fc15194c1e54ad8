using System.Text;

namespace TieredKv.CrashTest;

/// <summary>One parsed RESP2 reply: a simple string, error, integer, bulk string (null when absent) or array.</summary>
internal sealed record RespReply(char Type, string? Text, long Integer, IReadOnlyList<RespReply>? Items)
{
    public bool IsError => Type == '-';
    public bool IsNull => Text == null && Items == null && Type is '$' or '*';

    public override string ToString() => Type switch
    {
        ':' => ":" + Integer,
        '*' when Items != null => "[" + string.Join(", ", Items) + "]",
        _ => Text == null ? "(nil)" : Type + Text,
    };

    public static byte[] Encode(IReadOnlyList<string> args)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(args.Count).Append("\r\n");
        foreach (var a in args) sb.Append('$').Append(Encoding.UTF8.GetByteCount(a)).Append("\r\n").Append(a).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
