using System.Buffers.Binary;

namespace TieredKv;

/// <summary>A consumer group: its last delivered ID, its entries-read counter (-1 = unknown), and how many consumers and pending entries it has.</summary>
public sealed record StreamGroup(byte[] Name, StreamId LastDeliveredId, long EntriesRead, long ConsumerCount, long PendingCount)
{
    /// <summary>Redis's SCG_INVALID_ENTRIES_READ.</summary>
    public const long UnknownEntriesRead = -1;

    /// <summary>Value: last delivered ID (16), entries read (8, signed), consumers (8), pending (8), all LE.</summary>
    internal byte[] EncodeValue()
    {
        var bytes = new byte[40];
        StreamState.WriteId(bytes, LastDeliveredId);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), EntriesRead);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), ConsumerCount);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(32), PendingCount);
        return bytes;
    }

    internal static StreamGroup Decode(byte[] name, ReadOnlySpan<byte> value)
    {
        if (value.Length != 40) throw new FormatException($"consumer group record of {value.Length} bytes");
        return new StreamGroup(name, StreamState.ReadId(value), BinaryPrimitives.ReadInt64LittleEndian(value[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(value[24..]), BinaryPrimitives.ReadInt64LittleEndian(value[32..]));
    }
}

/// <summary>A consumer of a group: when it was last seen (Unix ms) and how many pending entries it owns.</summary>
public sealed record StreamConsumer(byte[] Name, long SeenTimeMs, long PendingCount)
{
    /// <summary>Value: seen time (8, signed), pending (8), LE.</summary>
    internal byte[] EncodeValue()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, SeenTimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), PendingCount);
        return bytes;
    }

    internal static StreamConsumer Decode(byte[] name, ReadOnlySpan<byte> value)
    {
        if (value.Length != 16) throw new FormatException($"consumer record of {value.Length} bytes");
        return new StreamConsumer(name, BinaryPrimitives.ReadInt64LittleEndian(value), BinaryPrimitives.ReadInt64LittleEndian(value[8..]));
    }
}

/// <summary>An entry delivered to a consumer and not acknowledged yet: its owner, last delivery time (Unix ms) and delivery count.</summary>
public sealed record StreamPendingEntry(StreamId Id, byte[] Consumer, long DeliveryTimeMs, long DeliveryCount)
{
    /// <summary>Value: delivery time (8, signed), delivery count (8), then the consumer's name, LE.</summary>
    internal byte[] EncodeValue()
    {
        var bytes = new byte[16 + Consumer.Length];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, DeliveryTimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), DeliveryCount);
        Consumer.CopyTo(bytes, 16);
        return bytes;
    }

    internal static StreamPendingEntry Decode(StreamId id, ReadOnlySpan<byte> value)
    {
        if (value.Length < 16) throw new FormatException($"pending entry record of {value.Length} bytes");
        return new StreamPendingEntry(id, value[16..].ToArray(), BinaryPrimitives.ReadInt64LittleEndian(value), BinaryPrimitives.ReadInt64LittleEndian(value[8..]));
    }
}
