using System.Buffers.Binary;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb;

/// <summary>
/// DUMP payloads as Redis lays them out: the RDB type byte and value serialization, the RDB version
/// as 2 bytes little-endian, then the CRC-64 of all preceding bytes as 8 bytes little-endian. We emit
/// version 10 (loadable by Redis 7.0+) in the plain encodings, and streams as type 19 (what Redis 7.0 writes);
/// we accept versions up to 11 like Redis 7.2.
/// </summary>
public static class DumpPayload
{
    private const int FooterSize = 10;

    public static byte[] EncodeString(ReadOnlySpan<byte> value)
    {
        var (stream, output) = Start(RdbValueType.String);
        output.WriteString(value);
        return Finish(stream, output);
    }

    public static byte[] EncodeHash(long count, IEnumerable<KeyValuePair<byte[], byte[]>> fields)
    {
        var (stream, output) = StartCollection(RdbValueType.Hash, count);
        long n = 0;
        foreach (var (field, value) in fields)
        {
            output.WriteString(field);
            output.WriteString(value);
            n++;
        }
        return FinishCollection(stream, output, count, n);
    }

    public static byte[] EncodeSet(long count, IEnumerable<byte[]> members)
    {
        var (stream, output) = StartCollection(RdbValueType.Set, count);
        long n = 0;
        foreach (byte[] member in members)
        {
            output.WriteString(member);
            n++;
        }
        return FinishCollection(stream, output, count, n);
    }

    public static byte[] EncodeList(long count, IEnumerable<byte[]> items)
    {
        var (stream, output) = StartCollection(RdbValueType.List, count);
        long n = 0;
        foreach (byte[] item in items)
        {
            output.WriteString(item);
            n++;
        }
        return FinishCollection(stream, output, count, n);
    }

    public static byte[] EncodeSortedSet(long count, IEnumerable<KeyValuePair<byte[], double>> members)
    {
        var (stream, output) = StartCollection(RdbValueType.SortedSet2, count);
        long n = 0;
        foreach (var (member, score) in members)
        {
            output.WriteString(member);
            output.WriteBinaryDouble(score);
            n++;
        }
        return FinishCollection(stream, output, count, n);
    }

    /// <summary>
    /// A stream as type 19. <paramref name="entries"/> is enumerated twice (the node count precedes the nodes and
    /// depends on their sizes); its count must equal <paramref name="metadata"/>'s length, in increasing ID order.
    /// </summary>
    /// <exception cref="ArgumentException">Entries out of order or miscounted, duplicate names or PEL IDs, or a PEL entry naming a missing consumer.</exception>
    public static byte[] EncodeStream(IEnumerable<RdbStreamEntry> entries, RdbStreamMetadata metadata, IReadOnlyList<RdbStreamGroup> groups)
    {
        var plan = StreamValueWriter.Prepare(entries, metadata, groups);
        var (stream, output) = Start(RdbValueType.StreamListpacks2);
        StreamValueWriter.Write(output, plan, entries);
        return Finish(stream, output);
    }

    /// <summary>
    /// Checks the footer and the whole value, then returns it ready to read. Streams are refused as Redis-format
    /// errors unless <paramref name="readStreams"/> (callers that cannot hold one keep today's refusal). Throws <see cref="DumpPayloadException"/>
    /// with Redis's messages: a bad version or CRC, or a value that does not parse ("Bad data format").
    /// </summary>
    public static RdbValue Decode(byte[] payload, bool readStreams = false)
    {
        if (payload.Length < FooterSize) throw new DumpPayloadException(DumpPayloadException.VersionOrChecksum);
        int version = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(payload.Length - FooterSize));
        if (version > RdbEncoding.MaxReadVersion) throw new DumpPayloadException(DumpPayloadException.VersionOrChecksum);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(payload.Length - 8));
        if (stored != Crc64Jones.Compute(payload.AsSpan(0, payload.Length - 8)))
            throw new DumpPayloadException(DumpPayloadException.VersionOrChecksum);

        // Parse once to the end so a bad value is refused before anything is written; the payload is in memory anyway.
        try
        {
            var check = Open(payload, readStreams, out var input);
            check.SkipRest();
            if (input.Offset != payload.Length - FooterSize) throw input.Error("bytes left after the value");
        }
        catch (RdbFormatException e)
        {
            throw new DumpPayloadException(DumpPayloadException.BadDataFormat, e);
        }
        return Open(payload, readStreams, out _);
    }

    private static RdbValue Open(byte[] payload, bool readStreams, out RdbInput input)
    {
        input = new RdbInput(new MemoryStream(payload, 0, payload.Length - FooterSize, writable: false), bufferSize: payload.Length);
        byte type = input.ReadByte("the value type");
        if ((RdbValueType.IsStream(type) && !readStreams) || RdbValueType.IsModule(type))
            throw new DumpPayloadException($"ERR Bad data format: {(RdbValueType.IsStream(type) ? "streams" : "module values")} are not supported");
        if (!RdbValueType.IsKnown(type)) throw new RdbFormatException(0, $"unknown value type {type}");
        return RdbValueParser.Open(input, type, readStreams) ?? throw new RdbFormatException(0, "value type without data");
    }

    private static (MemoryStream, RdbOutput) Start(byte type)
    {
        var stream = new MemoryStream();
        var output = RdbOutput.ForPayload(stream);
        output.WriteByte(type);
        return (stream, output);
    }

    private static (MemoryStream, RdbOutput) StartCollection(byte type, long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var started = Start(type);
        started.Item2.WriteLength((ulong)count);
        return started;
    }

    private static byte[] FinishCollection(MemoryStream stream, RdbOutput output, long declared, long written)
    {
        if (declared != written) throw new InvalidOperationException($"the collection was declared with {declared} elements but had {written}");
        return Finish(stream, output);
    }

    private static byte[] Finish(MemoryStream stream, RdbOutput output)
    {
        Span<byte> version = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(version, RdbEncoding.WriteVersion);
        output.Write(version);
        output.WriteUInt64LittleEndian(output.TakeCrc());
        output.Flush();
        return stream.ToArray();
    }
}
