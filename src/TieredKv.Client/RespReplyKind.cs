namespace TieredKv.Client;

/// <summary>What a <see cref="RespReply"/> is: the RESP2 types, and the RESP3 types a server sends after <c>HELLO 3</c>.</summary>
public enum RespReplyKind
{
    /// <summary><c>+text</c>: <see cref="RespReply.Text"/>.</summary>
    SimpleString,

    /// <summary><c>-text</c> or RESP3 <c>!n</c>: <see cref="RespReply.Text"/> holds the error line.</summary>
    Error,

    /// <summary><c>:n</c>: <see cref="RespReply.Integer"/>.</summary>
    Integer,

    /// <summary><c>$n</c>: <see cref="RespReply.Bulk"/>.</summary>
    BulkString,

    /// <summary>The nil bulk string <c>$-1</c>, the nil array <c>*-1</c> or RESP3 <c>_</c>.</summary>
    Null,

    /// <summary><c>*n</c>: <see cref="RespReply.Items"/>.</summary>
    Array,

    /// <summary>RESP3 <c>,d</c>: <see cref="RespReply.Text"/> holds the number as sent (<c>inf</c>, <c>1.5</c>).</summary>
    Double,

    /// <summary>RESP3 <c>#t</c>/<c>#f</c>: <see cref="RespReply.Integer"/> is 1 or 0.</summary>
    Boolean,

    /// <summary>RESP3 <c>(n</c>: <see cref="RespReply.Text"/> holds the digits.</summary>
    BigNumber,

    /// <summary>RESP3 <c>=n</c>: <see cref="RespReply.Bulk"/> holds the text after its <c>txt:</c> format prefix.</summary>
    VerbatimString,

    /// <summary>RESP3 <c>%n</c>: <see cref="RespReply.Items"/> holds key, value, key, value, ...</summary>
    Map,

    /// <summary>RESP3 <c>~n</c>: <see cref="RespReply.Items"/>.</summary>
    Set,

    /// <summary>RESP3 <c>&gt;n</c> (pub/sub messages, invalidations): <see cref="RespReply.Items"/>.</summary>
    Push,
}
