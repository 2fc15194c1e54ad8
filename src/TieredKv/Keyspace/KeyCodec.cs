using System.Buffers.Binary;

namespace TieredKv.Keyspace;

/// <summary>
/// Builds the engine keys of the keyspace (format-spec/keyspace.md). Every key starts with a tag
/// byte and, except the version ceiling, the database number, so each database's records form
/// contiguous ranges that FLUSHDB drops with range deletions.
/// </summary>
public static class KeyCodec
{
    public const byte MetadataTag = (byte)'M';
    public const byte LiveVersionTag = (byte)'L';
    public const byte SubKeyTag = (byte)'S';
    public const byte ScoreTag = (byte)'Z';
    public const byte ExpiryTag = (byte)'E';
    public const byte CounterTag = (byte)'C';
    public const byte VersionCeilingTag = (byte)'V';
    public const byte DatabaseMapTag = (byte)'D';
    public const byte FieldTtlTag = (byte)'T';
    public const byte FieldExpiryTag = (byte)'X';
    public const byte HashExpiryTag = (byte)'F';
    public const byte StreamGroupTag = (byte)'G';

    /// <summary>All tags whose records belong to one database.</summary>
    public static readonly byte[] DatabaseTags = [MetadataTag, LiveVersionTag, SubKeyTag, ScoreTag, ExpiryTag, CounterTag, FieldTtlTag, FieldExpiryTag, HashExpiryTag, StreamGroupTag];

    /// <summary>Tags of records keyed <c>tag | db | version | …</c>: they belong to one collection and die with it.</summary>
    public static readonly byte[] VersionedTags = [SubKeyTag, ScoreTag, FieldTtlTag, FieldExpiryTag, StreamGroupTag];

    /// <summary><c>M | db | key</c></summary>
    public static byte[] Metadata(int db, ReadOnlySpan<byte> key)
    {
        var k = new byte[MetadataLength(key)];
        Metadata(k, db, key);
        return k;
    }

    public static int MetadataLength(ReadOnlySpan<byte> key) => 2 + key.Length;

    /// <summary>Writes the metadata key into the first <see cref="MetadataLength"/> bytes of <paramref name="destination"/>.</summary>
    public static ReadOnlySpan<byte> Metadata(Span<byte> destination, int db, ReadOnlySpan<byte> key)
    {
        destination[0] = MetadataTag;
        destination[1] = (byte)db;
        key.CopyTo(destination[2..]);
        return destination[..MetadataLength(key)];
    }

    public static ReadOnlySpan<byte> UserKeyOfMetadata(ReadOnlySpan<byte> metadataKey) => metadataKey[2..];

    /// <summary><c>L | db | version</c>: present while the collection with that version lives.</summary>
    public static byte[] LiveVersion(int db, ulong version)
    {
        var k = new byte[10];
        k[0] = LiveVersionTag;
        k[1] = (byte)db;
        BinaryPrimitives.WriteUInt64BigEndian(k.AsSpan(2), version);
        return k;
    }

    /// <summary>The length of <see cref="SubKeyPrefix"/>: a tag byte, a database byte and an 8-byte version.</summary>
    public const int SubKeyPrefixLength = 10;

    /// <summary><c>S | db | version</c>: the prefix of every element of one collection.</summary>
    public static byte[] SubKeyPrefix(int db, ulong version) => Prefix(SubKeyTag, db, version);

    /// <summary><c>S | db | version | field</c></summary>
    public static byte[] SubKey(int db, ulong version, ReadOnlySpan<byte> field)
    {
        var k = new byte[10 + field.Length];
        WritePrefix(k, SubKeyTag, db, version);
        field.CopyTo(k.AsSpan(10));
        return k;
    }

    /// <summary><c>S | db | version | position (8, big-endian)</c>: a list element.</summary>
    public static byte[] ListElement(int db, ulong version, ulong position)
    {
        var k = new byte[18];
        WritePrefix(k, SubKeyTag, db, version);
        BinaryPrimitives.WriteUInt64BigEndian(k.AsSpan(10), position);
        return k;
    }

    /// <summary><c>G | db | version</c>: the prefix of a stream's consumer groups, consumers and pending entries.</summary>
    public static byte[] StreamGroupPrefix(int db, ulong version) => Prefix(StreamGroupTag, db, version);

    /// <summary><c>Z | db | version</c>: the prefix of a sorted set's score index.</summary>
    public static byte[] ScorePrefix(int db, ulong version) => Prefix(ScoreTag, db, version);

    /// <summary><c>Z | db | version | score (8, order-preserving) | member</c></summary>
    public static byte[] ScoreIndex(int db, ulong version, double score, ReadOnlySpan<byte> member)
    {
        var k = new byte[18 + member.Length];
        WritePrefix(k, ScoreTag, db, version);
        ScoreCodec.Encode(score, k.AsSpan(10));
        member.CopyTo(k.AsSpan(18));
        return k;
    }

    /// <summary><c>E | db | expireAt (8, big-endian) | key</c>: the expiry index, ordered by time.</summary>
    public static byte[] Expiry(int db, long expireAtMs, ReadOnlySpan<byte> key)
    {
        var k = new byte[10 + key.Length];
        k[0] = ExpiryTag;
        k[1] = (byte)db;
        BinaryPrimitives.WriteInt64BigEndian(k.AsSpan(2), expireAtMs);
        key.CopyTo(k.AsSpan(10));
        return k;
    }

    public static (long ExpireAtMs, byte[] Key) DecodeExpiry(ReadOnlySpan<byte> k) =>
        (BinaryPrimitives.ReadInt64BigEndian(k[2..]), k[10..].ToArray());

    /// <summary><c>T | db | version | field</c>: a hash field's expiry (its value is the Unix ms, 8 bytes LE).</summary>
    public static byte[] FieldTtl(int db, ulong version, ReadOnlySpan<byte> field)
    {
        var k = new byte[10 + field.Length];
        WritePrefix(k, FieldTtlTag, db, version);
        field.CopyTo(k.AsSpan(10));
        return k;
    }

    /// <summary><c>X | db | version</c>: the prefix of one hash's field-expiry index.</summary>
    public static byte[] FieldExpiryPrefix(int db, ulong version) => Prefix(FieldExpiryTag, db, version);

    /// <summary><c>X | db | version | expireAt (8, big-endian) | field</c>: one hash's field-expiry index, ordered by time.</summary>
    public static byte[] FieldExpiry(int db, ulong version, long expireAtMs, ReadOnlySpan<byte> field)
    {
        var k = new byte[18 + field.Length];
        WritePrefix(k, FieldExpiryTag, db, version);
        BinaryPrimitives.WriteInt64BigEndian(k.AsSpan(10), expireAtMs);
        field.CopyTo(k.AsSpan(18));
        return k;
    }

    public static (long ExpireAtMs, byte[] Field) DecodeFieldExpiry(ReadOnlySpan<byte> k) =>
        (BinaryPrimitives.ReadInt64BigEndian(k[10..]), k[18..].ToArray());

    /// <summary><c>F | db | expireAt (8, big-endian) | key</c>: hashes with field expiries, by their earliest one (a lower bound).</summary>
    public static byte[] HashExpiry(int db, long expireAtMs, ReadOnlySpan<byte> key)
    {
        var k = Expiry(db, expireAtMs, key);
        k[0] = HashExpiryTag;
        return k;
    }

    /// <summary><c>C | db | id (8, big-endian)</c>: a key-count delta (id 0 holds the folded base).</summary>
    public static byte[] Counter(int db, ulong id) => Prefix(CounterTag, db, id);

    public static readonly byte[] VersionCeiling = [VersionCeilingTag];

    /// <summary><c>tag | db</c>: the start of one kind of record of one database.</summary>
    public static byte[] DatabasePrefix(byte tag, int db) => [tag, (byte)db];

    private static byte[] Prefix(byte tag, int db, ulong number)
    {
        var k = new byte[10];
        WritePrefix(k, tag, db, number);
        return k;
    }

    private static void WritePrefix(Span<byte> k, byte tag, int db, ulong number)
    {
        k[0] = tag;
        k[1] = (byte)db;
        BinaryPrimitives.WriteUInt64BigEndian(k[2..], number);
    }
}
