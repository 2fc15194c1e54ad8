using TieredKv.Numbers;
using TieredKv.Keyspace;
using TieredKv.Types.Geo;

namespace TieredKv.Server.Dispatch;

/// <summary>The one place the library's typed errors become Redis's exact error replies.</summary>
internal static class KvErrorText
{
    /// <summary>The error reply (without the leading '-') for <paramref name="e"/>.</summary>
    public static string For(KvException e) => e switch
    {
        { Kind: KvErrorKind.Protocol } => e.Message,
        InvalidCoordinatesException c =>
            $"ERR invalid longitude,latitude pair {RedisNumbers.FormatFixed(c.Longitude, 6)},{RedisNumbers.FormatFixed(c.Latitude, 6)}",
        _ => e.Kind switch
        {
            KvErrorKind.WrongType => "WRONGTYPE Operation against a key holding the wrong kind of value",
            KvErrorKind.NotAnInteger => "ERR value is not an integer or out of range",
            KvErrorKind.NotAFloat => "ERR value is not a valid float",
            KvErrorKind.Overflow => "ERR increment or decrement would overflow",
            KvErrorKind.NotANumber => "ERR increment would produce NaN or Infinity",
            KvErrorKind.TooLarge => "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
            KvErrorKind.Syntax => "ERR syntax error",
            KvErrorKind.InvalidHll => "WRONGTYPE Key is not a valid HyperLogLog string value.",
            KvErrorKind.CorruptedHll => "INVALIDOBJ Corrupted HLL object detected",
            KvErrorKind.NoSuchMember => "ERR could not decode requested zset member",
            KvErrorKind.NotAString => "ERR The specified keys must contain string values",
            // The library words range errors as Redis does ("bit offset is not an integer or out of range").
            _ => "ERR " + e.Message,
        },
    };
}
