using System.Buffers.Binary;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;

namespace TieredKv.Fuzz.Targets;

/// <summary>
/// <see cref="DumpPayload.Decode"/> as RESTORE calls it, then every element of the value. Decode promises the
/// whole value was checked, so an error while reading the returned value is a finding too.
/// </summary>
internal sealed class DumpTarget : IFuzzTarget
{
    public string Name => "dump";

    public long ProducedBytes { get; private set; }

    public void Run(ReadOnlySpan<byte> input)
    {
        ProducedBytes = 0;
        var value = DumpPayload.Decode(input.ToArray(), readStreams: true);
        try
        {
            ProducedBytes = RdbValueConsumer.Consume(value);
        }
        catch (RdbFormatException e)
        {
            throw new InvariantViolationException("a payload Decode accepted failed while its value was read", e);
        }
    }

    public bool IsRejection(Exception e) => e is DumpPayloadException;

    /// <summary>As for RDB files (LZF expands up to 88 times), twice: Decode parses the value once to check it, and the caller reads it again.</summary>
    public long AllocationBudget(int inputLength, long producedBytes) => (4 << 20) + 256L * inputLength + 8 * producedBytes;

    /// <summary>The last 8 bytes are the CRC-64 of all before them.</summary>
    public byte[] Repair(byte[] input)
    {
        if (input.Length < 10) return input;
        var copy = (byte[])input.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), Crc64Jones.Compute(copy.AsSpan(0, copy.Length - 8)));
        return copy;
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("string.dump", DumpPayload.EncodeString("hello"u8));
        yield return ("int-string.dump", DumpPayload.EncodeString("-1234567"u8));
        yield return ("lzf-string.dump", DumpPayload.EncodeString(System.Text.Encoding.ASCII.GetBytes(new string('z', 300) + "tail")));
        yield return ("hash.dump", DumpPayload.EncodeHash(2, [new("f"u8.ToArray(), "v"u8.ToArray()), new("n"u8.ToArray(), "17"u8.ToArray())]));
        yield return ("set.dump", DumpPayload.EncodeSet(3, ["a"u8.ToArray(), "b"u8.ToArray(), "99"u8.ToArray()]));
        yield return ("list.dump", DumpPayload.EncodeList(2, ["first"u8.ToArray(), "second"u8.ToArray()]));
        yield return ("stream.dump", RdbSeeds.StreamPayload());
        yield return ("zset.dump", DumpPayload.EncodeSortedSet(2, [new("m"u8.ToArray(), 1.5), new("n"u8.ToArray(), double.NegativeInfinity)]));
    }
}
