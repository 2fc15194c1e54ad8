using System.Buffers.Binary;
using TieredKv.Storage.Format;

namespace TieredKv.Keyspace;

/// <summary>
/// The metadata record of one key (format-spec/keyspace.md): its type, the version that names its
/// elements, its expiry and element count; a string's value is inline. Immutable: an operation
/// builds a new one and commits it.
/// </summary>
public sealed record KeyMetadata
{
    private const byte FormatVersion = 1;
    private const int HeaderSize = 1 + 1 + 8 + 8;

    public required KeyType Type { get; init; }

    /// <summary>Names this incarnation of a collection: its elements are stored under it (0 for strings).</summary>
    public ulong Version { get; init; }

    /// <summary>Unix time in milliseconds at which the key expires; 0 = never.</summary>
    public long ExpireAtMs { get; init; }

    /// <summary>Element count of a collection.</summary>
    public long Count { get; init; }

    /// <summary>
    /// Hashes: no later than the earliest expiry of any of its fields (Unix ms), or 0 when no field has
    /// one. A lower bound, not exact: removing a field's expiry leaves it, and the next expiry pass over
    /// the hash makes it exact again. Reads look at fields' expiries only once it has passed.
    /// </summary>
    public long MinFieldExpireAtMs { get; init; }

    /// <summary>Lists: the position of the first element (elements are at Head, Head+1, … Head+Count-1).</summary>
    public ulong ListHead { get; init; }

    /// <summary>A string's value; for a stream, its state after the count (last ID, first ID …: format-spec/keyspace.md), opaque here.</summary>
    public byte[] Value { get; init; } = [];

    public bool IsCollection => Type is not KeyType.String;

    public bool IsExpiredAt(long nowMs) => ExpireAtMs != 0 && ExpireAtMs <= nowMs;

    /// <summary>Bytes the record takes in memory, roughly, for hot-tier accounting.</summary>
    public int ApproximateSize => 64 + Value.Length;

    /// <summary>The size of <see cref="EncodeTo"/>'s output.</summary>
    public int EncodedSize => HeaderSize + Type switch
    {
        KeyType.String => Value.Length,
        KeyType.List => 16,
        KeyType.Stream => 8 + Value.Length,
        KeyType.Hash when MinFieldExpireAtMs != 0 => 16,
        _ => 8,
    };

    public byte[] Encode()
    {
        var bytes = new byte[EncodedSize];
        EncodeTo(bytes);
        return bytes;
    }

    /// <summary>Writes the record into exactly <see cref="EncodedSize"/> bytes.</summary>
    public void EncodeTo(Span<byte> bytes)
    {
        bytes[0] = (byte)Type;
        bytes[1] = FormatVersion;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[2..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[10..], ExpireAtMs);
        var rest = bytes[HeaderSize..];
        if (Type == KeyType.String)
        {
            Value.CopyTo(rest);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(rest, Count);
            if (Type == KeyType.List) BinaryPrimitives.WriteUInt64LittleEndian(rest[8..], ListHead);
            else if (Type == KeyType.Stream) Value.CopyTo(rest[8..]);
            else if (Type == KeyType.Hash && MinFieldExpireAtMs != 0) BinaryPrimitives.WriteInt64LittleEndian(rest[8..], MinFieldExpireAtMs);
        }
    }

    /// <exception cref="FormatException">The record is malformed.</exception>
    public static KeyMetadata Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize) throw new FormatException($"metadata record of {bytes.Length} bytes");
        var type = (KeyType)bytes[0];
        if (bytes[1] != FormatVersion) throw new FormatException($"metadata format {bytes[1]} is not known");
        ulong version = BinaryPrimitives.ReadUInt64LittleEndian(bytes[2..]);
        long expireAt = BinaryPrimitives.ReadInt64LittleEndian(bytes[10..]);
        var rest = bytes[HeaderSize..];
        switch (type)
        {
            case KeyType.String:
                return new KeyMetadata { Type = type, ExpireAtMs = expireAt, Value = rest.ToArray() };
            case KeyType.Hash when rest.Length == 16:
                return new KeyMetadata
                {
                    Type = type, Version = version, ExpireAtMs = expireAt,
                    Count = BinaryPrimitives.ReadInt64LittleEndian(rest),
                    MinFieldExpireAtMs = BinaryPrimitives.ReadInt64LittleEndian(rest[8..]),
                };
            case KeyType.Hash or KeyType.Set or KeyType.SortedSet:
                if (rest.Length != 8) throw new FormatException("collection metadata of the wrong size");
                return new KeyMetadata { Type = type, Version = version, ExpireAtMs = expireAt, Count = BinaryPrimitives.ReadInt64LittleEndian(rest) };
            case KeyType.List:
                if (rest.Length != 16) throw new FormatException("list metadata of the wrong size");
                return new KeyMetadata
                {
                    Type = type, Version = version, ExpireAtMs = expireAt,
                    Count = BinaryPrimitives.ReadInt64LittleEndian(rest),
                    ListHead = BinaryPrimitives.ReadUInt64LittleEndian(rest[8..]),
                };
            case KeyType.Stream:
                if (rest.Length < 8) throw new FormatException("stream metadata of the wrong size");
                return new KeyMetadata
                {
                    Type = type, Version = version, ExpireAtMs = expireAt,
                    Count = BinaryPrimitives.ReadInt64LittleEndian(rest),
                    Value = rest[8..].ToArray(),
                };
            default:
                throw new FormatException($"unknown key type {(byte)type}");
        }
    }
}
