using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// Statistics about a table, stored in its properties block as a sequence of
/// <c>varint32 tag | varint64 value</c> pairs (tags below); readers skip tags they do not know.
/// </summary>
public sealed record TableProperties
{
    private const uint TagEntryCount = 1;
    private const uint TagDeletionCount = 2;
    private const uint TagSmallestSequence = 3;
    private const uint TagLargestSequence = 4;
    private const uint TagRawKeyBytes = 5;
    private const uint TagRawValueBytes = 6;
    private const uint TagDataBlockCount = 7;
    private const uint TagFilterBitsPerKey = 8;

    public ulong EntryCount { get; init; }
    public ulong DeletionCount { get; init; }
    public ulong SmallestSequence { get; init; }
    public ulong LargestSequence { get; init; }

    /// <summary>Sum of the internal key lengths (user key + 8-byte trailer) as added.</summary>
    public ulong RawKeyBytes { get; init; }
    public ulong RawValueBytes { get; init; }
    public ulong DataBlockCount { get; init; }

    /// <summary>0 when the table has no bloom filter.</summary>
    public ulong FilterBitsPerKey { get; init; }

    public void EncodeTo(ByteBuffer destination)
    {
        Put(destination, TagEntryCount, EntryCount);
        Put(destination, TagDeletionCount, DeletionCount);
        Put(destination, TagSmallestSequence, SmallestSequence);
        Put(destination, TagLargestSequence, LargestSequence);
        Put(destination, TagRawKeyBytes, RawKeyBytes);
        Put(destination, TagRawValueBytes, RawValueBytes);
        Put(destination, TagDataBlockCount, DataBlockCount);
        Put(destination, TagFilterBitsPerKey, FilterBitsPerKey);
    }

    /// <summary>Decodes a properties block; returns null when it is malformed.</summary>
    public static TableProperties? TryDecode(ReadOnlySpan<byte> source)
    {
        var p = new TableProperties();
        while (!source.IsEmpty)
        {
            int n = Coding.ReadVarint32(source, out uint tag);
            if (n == 0) return null;
            source = source[n..];
            n = Coding.ReadVarint64(source, out ulong value);
            if (n == 0) return null;
            source = source[n..];
            p = tag switch
            {
                TagEntryCount => p with { EntryCount = value },
                TagDeletionCount => p with { DeletionCount = value },
                TagSmallestSequence => p with { SmallestSequence = value },
                TagLargestSequence => p with { LargestSequence = value },
                TagRawKeyBytes => p with { RawKeyBytes = value },
                TagRawValueBytes => p with { RawValueBytes = value },
                TagDataBlockCount => p with { DataBlockCount = value },
                TagFilterBitsPerKey => p with { FilterBitsPerKey = value },
                _ => p,
            };
        }
        return p;
    }

    private static void Put(ByteBuffer destination, uint tag, ulong value)
    {
        destination.AppendVarint32(tag);
        destination.AppendVarint64(value);
    }
}
