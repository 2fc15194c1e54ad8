using System.Buffers.Binary;

namespace TieredKv;

/// <summary>One stream entry: its ID and its fields and values, alternating (field, value, field, value …).</summary>
public sealed record StreamEntry(StreamId Id, IReadOnlyList<byte[]> FieldsAndValues)
{
    /// <summary>Flag bit of an entry's stored value: the entry starts a node of Redis's radix tree (see <see cref="StreamNodeModel"/>).</summary>
    internal const byte NodeStartFlag = 1;

    /// <summary>Flag bit of a deleted entry (XDEL, a trim inside a node): kept, as Redis keeps it in its node, until the node goes.</summary>
    internal const byte DeletedFlag = 2;

    /// <summary>The stored value: a flags byte, then each field and value as a 4-byte LE length and its bytes.</summary>
    internal static byte[] EncodeValue(IReadOnlyList<byte[]> fieldsAndValues, bool nodeStart)
    {
        int size = 1;
        foreach (var item in fieldsAndValues) size += 4 + item.Length;
        var bytes = new byte[size];
        bytes[0] = nodeStart ? NodeStartFlag : (byte)0;
        int at = 1;
        foreach (var item in fieldsAndValues)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), item.Length);
            item.CopyTo(bytes.AsSpan(at + 4));
            at += 4 + item.Length;
        }
        return bytes;
    }

    internal static bool IsNodeStart(ReadOnlySpan<byte> value) => value.Length > 0 && (value[0] & NodeStartFlag) != 0;

    internal static bool IsDeleted(ReadOnlySpan<byte> value) => value.Length > 0 && (value[0] & DeletedFlag) != 0;

    /// <summary>The same value marked deleted.</summary>
    internal static byte[] AsDeleted(ReadOnlySpan<byte> value)
    {
        var bytes = value.ToArray();
        bytes[0] |= DeletedFlag;
        return bytes;
    }

    /// <exception cref="FormatException">The value is malformed.</exception>
    internal static List<byte[]> DecodeValue(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) throw new FormatException("empty stream entry");
        var items = new List<byte[]>();
        int at = 1;
        while (at < value.Length)
        {
            if (at + 4 > value.Length) throw new FormatException("truncated stream entry");
            int length = BinaryPrimitives.ReadInt32LittleEndian(value[at..]);
            if (length < 0 || at + 4 + length > value.Length) throw new FormatException("truncated stream entry");
            items.Add(value.Slice(at + 4, length).ToArray());
            at += 4 + length;
        }
        if (items.Count % 2 != 0) throw new FormatException("stream entry with an odd number of fields and values");
        return items;
    }

    internal static StreamEntry Decode(ReadOnlySpan<byte> idBytes, ReadOnlySpan<byte> value) =>
        new(StreamId.ReadBigEndian(idBytes), DecodeValue(value));
}
