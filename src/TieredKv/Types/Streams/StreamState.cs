using System.Buffers.Binary;

namespace TieredKv;

/// <summary>
/// What Redis keeps beside a stream's entries (its length is the metadata's count): the last generated
/// ID, the first entry's ID, the largest deleted ID, the number of entries ever added, how many consumer
/// groups it has, and a model of Redis's tail node so that approximate trimming (<c>~</c>) removes what
/// Redis would. Stored in the key's metadata record (format-spec/keyspace.md, <em>Streams</em>).
/// </summary>
public sealed record StreamState
{
    /// <summary>The encoded size: four IDs of 16 bytes, two 8-byte counters, three 4-byte node counters and the 8-byte master-fields hash.</summary>
    public const int EncodedLength = 4 * 16 + 2 * 8 + 3 * 4 + 8;

    public StreamId LastId { get; init; }

    /// <summary>The first entry's ID; 0-0 when the stream is empty (Redis's first_id).</summary>
    public StreamId FirstId { get; init; }

    public StreamId MaxDeletedId { get; init; }

    public ulong EntriesAdded { get; init; }

    public long GroupCount { get; init; }

    /// <summary>The first ID of the node new entries go to (Redis's last radix-tree node); meaningful while <see cref="TailNodeEntries"/> is above 0.</summary>
    public StreamId TailNodeStart { get; init; }

    /// <summary>Entries the tail node holds, live and deleted; 0 = the next entry starts a node.</summary>
    public int TailNodeEntries { get; init; }

    /// <summary>Live entries of the tail node: when XDEL takes the last, Redis frees the node.</summary>
    public int TailNodeLive { get; init; }

    /// <summary>Bytes of the tail node's listpack as Redis would lay it out (an estimate; see <see cref="StreamNodeModel"/>).</summary>
    public int TailNodeBytes { get; init; }

    /// <summary>A hash of the tail node's master fields (its first entry's field names): an entry with the same fields is stored smaller.</summary>
    public ulong TailNodeFieldsHash { get; init; }

    public static StreamState Empty { get; } = new();

    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        var span = bytes.AsSpan();
        WriteId(span, LastId);
        WriteId(span[16..], FirstId);
        WriteId(span[32..], MaxDeletedId);
        BinaryPrimitives.WriteUInt64LittleEndian(span[48..], EntriesAdded);
        BinaryPrimitives.WriteInt64LittleEndian(span[56..], GroupCount);
        WriteId(span[64..], TailNodeStart);
        BinaryPrimitives.WriteInt32LittleEndian(span[80..], TailNodeEntries);
        BinaryPrimitives.WriteInt32LittleEndian(span[84..], TailNodeLive);
        BinaryPrimitives.WriteInt32LittleEndian(span[88..], TailNodeBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(span[92..], TailNodeFieldsHash);
        return bytes;
    }

    /// <exception cref="FormatException">The bytes are not a stream state.</exception>
    public static StreamState Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != EncodedLength) throw new FormatException($"stream state of {bytes.Length} bytes");
        return new StreamState
        {
            LastId = ReadId(bytes),
            FirstId = ReadId(bytes[16..]),
            MaxDeletedId = ReadId(bytes[32..]),
            EntriesAdded = BinaryPrimitives.ReadUInt64LittleEndian(bytes[48..]),
            GroupCount = BinaryPrimitives.ReadInt64LittleEndian(bytes[56..]),
            TailNodeStart = ReadId(bytes[64..]),
            TailNodeEntries = BinaryPrimitives.ReadInt32LittleEndian(bytes[80..]),
            TailNodeLive = BinaryPrimitives.ReadInt32LittleEndian(bytes[84..]),
            TailNodeBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes[88..]),
            TailNodeFieldsHash = BinaryPrimitives.ReadUInt64LittleEndian(bytes[92..]),
        };
    }

    // IDs inside values are little-endian like every number there: ms, then seq.
    internal static void WriteId(Span<byte> destination, StreamId id)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(destination, id.Ms);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], id.Seq);
    }

    internal static StreamId ReadId(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64LittleEndian(source), BinaryPrimitives.ReadUInt64LittleEndian(source[8..]));
}
