using System.Buffers.Binary;

namespace TieredKv.Storage.Format;

/// <summary>
/// An internal key is the user key followed by an 8-byte little-endian trailer
/// <c>(sequence &lt;&lt; 8) | type</c>. Internal keys order by user key ascending (bytewise),
/// then by trailer descending, so the newest version of a key comes first.
/// </summary>
public static class InternalKey
{
    public const int TrailerSize = 8;

    /// <summary>The largest sequence number: 56 bits.</summary>
    public const ulong MaxSequence = (1UL << 56) - 1;

    /// <summary>The type used when building a seek key: it sorts before every real type at the same sequence.</summary>
    public const EntryType TypeForSeek = EntryType.RangeDeletion;

    public static ulong PackTrailer(ulong sequence, EntryType type) => (sequence << 8) | (byte)type;

    public static ReadOnlySpan<byte> UserKey(ReadOnlySpan<byte> internalKey) => internalKey[..^TrailerSize];

    public static ulong Trailer(ReadOnlySpan<byte> internalKey) =>
        BinaryPrimitives.ReadUInt64LittleEndian(internalKey[^TrailerSize..]);

    public static ulong Sequence(ReadOnlySpan<byte> internalKey) => Trailer(internalKey) >> 8;

    public static EntryType Type(ReadOnlySpan<byte> internalKey) => (EntryType)(byte)Trailer(internalKey);

    public static void Encode(Span<byte> destination, ReadOnlySpan<byte> userKey, ulong sequence, EntryType type)
    {
        userKey.CopyTo(destination);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[userKey.Length..], PackTrailer(sequence, type));
    }

    public static byte[] Create(ReadOnlySpan<byte> userKey, ulong sequence, EntryType type)
    {
        var key = new byte[userKey.Length + TrailerSize];
        Encode(key, userKey, sequence, type);
        return key;
    }

    /// <summary>The key to seek to for "the newest version of <paramref name="userKey"/> visible at <paramref name="sequence"/>".</summary>
    public static byte[] ForSeek(ReadOnlySpan<byte> userKey, ulong sequence) => Create(userKey, sequence, TypeForSeek);

    /// <summary>Orders internal keys: user key ascending, then sequence and type descending.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int c = UserKey(a).SequenceCompareTo(UserKey(b));
        if (c != 0) return c;
        return Trailer(b).CompareTo(Trailer(a));
    }

    public static bool IsValid(ReadOnlySpan<byte> internalKey) =>
        internalKey.Length >= TrailerSize && (byte)Trailer(internalKey) <= (byte)EntryType.RangeDeletion;

    public static string Describe(ReadOnlySpan<byte> internalKey) => internalKey.Length < TrailerSize
        ? $"<malformed internal key of {internalKey.Length} bytes>"
        : $"'{Convert.ToHexString(UserKey(internalKey))}' @ {Sequence(internalKey)} : {Type(internalKey)}";
}

/// <summary><see cref="IComparer{T}"/> over byte arrays holding internal keys.</summary>
public sealed class InternalKeyComparer : IComparer<byte[]>
{
    public static readonly InternalKeyComparer Instance = new();

    public int Compare(byte[]? x, byte[]? y) => InternalKey.Compare(x, y);
}
