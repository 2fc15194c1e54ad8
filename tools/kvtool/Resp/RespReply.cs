using System.Text;

namespace TieredKv.Tools.Resp;

/// <summary>
/// One RESP2 reply: a status or error line (<see cref="Text"/>), an integer, a bulk string (<see cref="Bulk"/>,
/// null for the nil reply) or an array (<see cref="Items"/>, null for the nil array).
/// </summary>
public sealed record RespReply(char Kind, string? Text, long Integer, byte[]? Bulk, IReadOnlyList<RespReply>? Items)
{
    public bool IsError => Kind == '-';

    /// <summary>A nil bulk string or nil array.</summary>
    public bool IsNil => Kind is '$' or '*' && Bulk == null && Items == null;

    /// <summary>The reply as text for messages and simple values: status, error, integer or bulk as UTF-8.</summary>
    public override string ToString() => Kind switch
    {
        '+' or '-' => Text!,
        ':' => Integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
        '$' => Bulk == null ? "(nil)" : Encoding.UTF8.GetString(Bulk),
        _ => Items == null ? "(nil)" : $"({Items.Count} items)",
    };
}
