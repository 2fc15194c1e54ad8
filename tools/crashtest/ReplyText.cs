using System.Globalization;
using System.Text;
using TieredKv.Client;

namespace TieredKv.CrashTest;

/// <summary>Replies as text, in the form the keyspace model writes the replies it expects (<c>+OK</c>, <c>:3</c>, <c>$v</c>, <c>[a, b]</c>).</summary>
internal static class ReplyText
{
    /// <summary>The text of a status, error or bulk reply (a bulk string as UTF-8); null for nil and the other kinds.</summary>
    public static string? TextOf(this RespReply reply) => reply.Kind switch
    {
        RespReplyKind.BulkString => Encoding.UTF8.GetString(reply.Bulk!),
        RespReplyKind.SimpleString or RespReplyKind.Error => reply.Text,
        _ => null,
    };

    public static string Render(this RespReply reply) => reply.Kind switch
    {
        RespReplyKind.Integer => ":" + reply.Integer.ToString(CultureInfo.InvariantCulture),
        RespReplyKind.Array => "[" + string.Join(", ", reply.Items!.Select(Render)) + "]",
        RespReplyKind.BulkString => "$" + reply.TextOf(),
        RespReplyKind.SimpleString => "+" + reply.Text,
        RespReplyKind.Error => "-" + reply.Text,
        _ => "(nil)",
    };
}
