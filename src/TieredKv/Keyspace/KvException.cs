namespace TieredKv.Keyspace;

/// <summary>
/// An operation refused. With <see cref="KvErrorKind.Protocol"/> (the older throws) the message is
/// what Redis replies, without the leading '-'; any other <see cref="Kind"/> says what went wrong and
/// the server words it as Redis does.
/// </summary>
public class KvException : Exception
{
    public KvException(string message) : this(KvErrorKind.Protocol, message)
    {
    }

    public KvException(KvErrorKind kind, string message) : base(message) => Kind = kind;

    /// <summary>What went wrong.</summary>
    public KvErrorKind Kind { get; }
}

/// <summary>The key holds a value of another type.</summary>
public sealed class WrongTypeException() : KvException(KvErrorKind.WrongType, "WRONGTYPE Operation against a key holding the wrong kind of value")
{
}
