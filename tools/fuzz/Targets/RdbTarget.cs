using System.Buffers.Binary;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;

namespace TieredKv.Fuzz.Targets;

/// <summary><see cref="RdbReader"/> over a whole file: every key, every element of every value (streams included), to EOF and the checksum.</summary>
internal sealed class RdbTarget : IFuzzTarget
{
    public string Name => "rdb";

    public long ProducedBytes { get; private set; }

    public void Run(ReadOnlySpan<byte> input)
    {
        ProducedBytes = 0;
        var reader = new RdbReader(new MemoryStream(input.ToArray(), writable: false)) { ReadStreams = true };
        while (reader.TryReadNext(out var entry)) ProducedBytes += entry.Key.Length + RdbValueConsumer.Consume(entry.Value);
        if (!reader.Completed) throw new InvariantViolationException("the reader stopped before EOF without an error");
        _ = reader.Aux.Count + reader.Warnings.Count + reader.SkippedKeys.Count;
    }

    public bool IsRejection(Exception e) => e is RdbFormatException;

    /// <summary>
    /// The input buffer is 64 KiB and a string grows in 1 MiB steps, so a few MiB are fixed. LZF legitimately
    /// expands up to 88 times (a compact blob that then fails to parse produced nothing), and what was really
    /// produced may cost its size again in copies.
    /// </summary>
    public long AllocationBudget(int inputLength, long producedBytes) => (4 << 20) + 128L * inputLength + 4 * producedBytes;

    /// <summary>The file's last 8 bytes are the CRC-64 of everything before them (when the file ends right after EOF).</summary>
    public byte[] Repair(byte[] input)
    {
        if (input.Length < 18) return input;
        var copy = (byte[])input.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(copy.Length - 8), Crc64Jones.Compute(copy.AsSpan(0, copy.Length - 8)));
        return copy;
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("writer-plain.rdb", RdbSeeds.Plain());
        yield return ("listpacks.rdb", RdbSeeds.Compact());
        yield return ("streams.rdb", RdbSeeds.Streams());
    }
}
