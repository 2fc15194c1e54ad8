using System.Globalization;
using System.Text;

namespace TieredKv.Client;

/// <summary>
/// One reply read from a server: its <see cref="Kind"/> and, as the kind says, its <see cref="Text"/> (status, error,
/// RESP3 double or big number), <see cref="Integer"/>, <see cref="Bulk"/> bytes or <see cref="Items"/>.
/// </summary>
public sealed class RespReply
{
    private RespReply(RespReplyKind kind, string? text, long integer, byte[]? bulk, IReadOnlyList<RespReply>? items)
    {
        Kind = kind;
        Text = text;
        Integer = integer;
        Bulk = bulk;
        Items = items;
    }

    /// <summary>The shared nil reply.</summary>
    public static RespReply Null { get; } = new(RespReplyKind.Null, null, 0, null, null);

    public RespReplyKind Kind { get; }

    /// <summary>The line of a simple string, error, RESP3 double or big number; null for the other kinds.</summary>
    public string? Text { get; }

    /// <summary>The value of an integer reply (1/0 for a RESP3 boolean); 0 for the other kinds.</summary>
    public long Integer { get; }

    /// <summary>The bytes of a bulk or verbatim string; null for the other kinds (and for nil).</summary>
    public byte[]? Bulk { get; }

    /// <summary>The elements of an array, set, push or map (keys and values alternating); null for the other kinds (and for nil).</summary>
    public IReadOnlyList<RespReply>? Items { get; }

    public bool IsError => Kind == RespReplyKind.Error;

    /// <summary>A nil bulk string, nil array or RESP3 null.</summary>
    public bool IsNil => Kind == RespReplyKind.Null;

    public static RespReply SimpleString(string text) => new(RespReplyKind.SimpleString, text, 0, null, null);

    public static RespReply Error(string text) => new(RespReplyKind.Error, text, 0, null, null);

    public static RespReply FromInteger(long value) => new(RespReplyKind.Integer, null, value, null, null);

    public static RespReply BulkString(byte[] bytes) => new(RespReplyKind.BulkString, null, 0, bytes, null);

    public static RespReply Array(IReadOnlyList<RespReply> items) => new(RespReplyKind.Array, null, 0, null, items);

    /// <summary>A reply of any kind; the factory the reader uses for the RESP3 types.</summary>
    public static RespReply Create(RespReplyKind kind, string? text = null, long integer = 0, byte[]? bulk = null, IReadOnlyList<RespReply>? items = null) =>
        kind == RespReplyKind.Null ? Null : new(kind, text, integer, bulk, items);

    /// <summary>The reply as text for messages and simple values: a line as sent, an integer in decimal, a bulk string as UTF-8, "(nil)".</summary>
    public override string ToString() => Kind switch
    {
        RespReplyKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        RespReplyKind.Boolean => Integer != 0 ? "true" : "false",
        RespReplyKind.BulkString or RespReplyKind.VerbatimString => Encoding.UTF8.GetString(Bulk!),
        RespReplyKind.Null => "(nil)",
        RespReplyKind.Array or RespReplyKind.Map or RespReplyKind.Set or RespReplyKind.Push => $"({Items!.Count} items)",
        _ => Text!,
    };
}
