using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Tests;

/// <summary>Function libraries in RDB files (FUNCTION2 records before the keys) and in FUNCTION DUMP payloads.</summary>
public sealed class FunctionLibraryRecordTests
{
    private static readonly byte[] Short = Encoding.UTF8.GetBytes("#!lua name=a\nredis.register_function('f', function() return 1 end)");
    private static readonly byte[] Long = Encoding.UTF8.GetBytes("#!lua name=b\n" + string.Concat(Enumerable.Repeat("-- padding that compresses well\n", 40)) + "redis.register_function('g', function() return 2 end)");

    [Fact]
    public void RdbFile_CarriesItsLibrariesBackToTheReader()
    {
        var stream = new MemoryStream();
        var writer = new RdbWriter(stream, new RdbWriterOptions { FunctionLibraries = [Short, Long] });
        writer.SelectDatabase(0, 1, 0);
        writer.WriteString("k"u8, "v"u8);
        writer.Finish();

        stream.Position = 0;
        var reader = new RdbReader(stream);
        Assert.Equal(1, reader.ReadToEnd());
        Assert.Equal([Short, Long], reader.FunctionLibraries);
    }

    [Fact]
    public void Payload_RoundTripsEveryLibraryInOrder()
    {
        Assert.Equal([Long, Short], FunctionsPayload.Decode(FunctionsPayload.Encode([Long, Short])));
    }

    [Fact]
    public void Payload_OfNoLibraries_IsJustTheFooter()
    {
        byte[] payload = FunctionsPayload.Encode([]);
        Assert.Equal(10, payload.Length);
        Assert.Empty(FunctionsPayload.Decode(payload));
    }

    [Fact]
    public void Payload_OfAReleaseCandidateRecord_BecomesTheShebangForm()
    {
        // 7.0 RC records: opcode 246, name, engine, has-description 0, body; the CRC is computed the way the writer's is.
        var stream = new MemoryStream();
        var output = RdbOutput.ForPayload(stream);
        output.WriteByte(RdbOpcode.FunctionPreGa);
        output.WriteString("old"u8);
        output.WriteString("LUA"u8);
        output.WriteLength(0);
        output.WriteString("redis.register_function('h', function() return 3 end)"u8);
        output.Write([10, 0]);
        output.WriteUInt64LittleEndian(output.TakeCrc());
        output.Flush();

        var codes = FunctionsPayload.Decode(stream.ToArray());
        Assert.Equal("#!LUA name=old\nredis.register_function('h', function() return 3 end)", Encoding.UTF8.GetString(Assert.Single(codes)));
    }

    [Fact]
    public void Payload_WithAKeyRecord_IsNotAFunction()
    {
        var e = Assert.Throws<DumpPayloadException>(() => FunctionsPayload.Decode(DumpPayload.EncodeString("v"u8)));
        Assert.Equal("ERR given type is not a function", e.Message);
    }

    [Fact]
    public void Payload_Truncated_IsAVersionOrChecksumError()
    {
        byte[] payload = FunctionsPayload.Encode([Short]);
        var e = Assert.Throws<DumpPayloadException>(() => FunctionsPayload.Decode(payload[..^1]));
        Assert.Equal(DumpPayloadException.VersionOrChecksum, e.Message);
    }
}
