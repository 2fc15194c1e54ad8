using System.Buffers.Binary;
using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb;

/// <summary>
/// FUNCTION DUMP's payload as Redis 7 makes it: one FUNCTION2 record per library (opcode 245, then the library's
/// code as an RDB string), the RDB version (2 bytes LE) and a CRC-64 of everything before it (8 bytes LE) — the
/// footer of a key's DUMP payload. So payloads move between Redis and us in both directions.
/// </summary>
public static class FunctionsPayload
{
    private const int FooterSize = 10;

    public static byte[] Encode(IEnumerable<byte[]> libraryCodes)
    {
        var stream = new MemoryStream();
        var output = RdbOutput.ForPayload(stream);
        foreach (byte[] code in libraryCodes) FunctionRecord.Write(output, code);
        Span<byte> version = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(version, RdbEncoding.WriteVersion);
        output.Write(version);
        output.WriteUInt64LittleEndian(output.TakeCrc());
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>
    /// The libraries' codes in payload order. Throws <see cref="DumpPayloadException"/> with Redis's replies: a bad
    /// footer, a record that is not a function, a library that does not read.
    /// </summary>
    public static List<byte[]> Decode(byte[] payload)
    {
        if (payload.Length < FooterSize) throw new DumpPayloadException(DumpPayloadException.VersionOrChecksum);
        int version = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(payload.Length - FooterSize));
        if (version > RdbEncoding.MaxReadVersion) throw new DumpPayloadException(DumpPayloadException.VersionOrChecksum);
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(payload.AsSpan(payload.Length - 8));
        if (stored != Crc64Jones.Compute(payload.AsSpan(0, payload.Length - 8)))
            throw new DumpPayloadException(DumpPayloadException.VersionOrChecksum);

        int end = payload.Length - FooterSize;
        var input = new RdbInput(new MemoryStream(payload, 0, end, writable: false), bufferSize: Math.Max(end, 1));
        var codes = new List<byte[]>();
        while (input.Offset < end)
        {
            byte type = input.ReadByte("a function record type");
            if (type is not (RdbOpcode.Function2 or RdbOpcode.FunctionPreGa)) throw new DumpPayloadException("ERR given type is not a function");
            try
            {
                codes.Add(FunctionRecord.Read(input, type));
            }
            catch (RdbFormatException e)
            {
                throw new DumpPayloadException(type == RdbOpcode.Function2 ? "ERR Failed loading library payload" : "ERR Failed loading library blob", e);
            }
        }
        return codes;
    }
}
