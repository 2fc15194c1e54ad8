using TieredKv.Storage.Util;

namespace TieredKv.Storage.Log;

/// <summary>Constants and checksum of the record framing shared by the WAL and the MANIFEST (format-spec/wal.md).</summary>
/// <remarks>
/// <c>record := payloadLength u32 LE | maskedCrc u32 LE | payload</c>, where the CRC-32C covers the four
/// length bytes followed by the payload, so a damaged length field is caught like damaged data.
/// </remarks>
public static class LogFormat
{
    /// <summary>Size of the record header: payload length and masked CRC.</summary>
    public const int HeaderSize = 8;

    /// <summary>Largest payload a record may carry (1 GiB); a larger claimed length is damage.</summary>
    public const int MaxPayloadLength = 1 << 30;

    /// <summary>The stored (masked) checksum of a record whose header starts with <paramref name="lengthField"/>.</summary>
    public static uint MaskedCrc(ReadOnlySpan<byte> lengthField, ReadOnlySpan<byte> payload) =>
        Crc32C.Mask(Crc32C.Extend(Crc32C.Compute(lengthField), payload));
}
