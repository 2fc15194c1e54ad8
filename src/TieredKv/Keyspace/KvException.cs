namespace TieredKv.Keyspace;

/// <summary>An operation refused with a Redis-style error (the message is what Redis replies, without the leading '-').</summary>
public class KvException(string message) : Exception(message)
{
}

/// <summary>The key holds a value of another type.</summary>
public sealed class WrongTypeException() : KvException("WRONGTYPE Operation against a key holding the wrong kind of value")
{
}
