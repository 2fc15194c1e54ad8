using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>A DUMP payload RESTORE refuses; the message is Redis's error reply for it.</summary>
public sealed class DumpPayloadException(string message, Exception? inner = null) : KvException(message)
{
    public const string VersionOrChecksum = "ERR DUMP payload version or checksum are wrong";
    public const string BadDataFormat = "ERR Bad data format";

    public Exception? Cause { get; } = inner;
}
