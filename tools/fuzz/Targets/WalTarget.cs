using Microsoft.Extensions.Logging.Abstractions;
using TieredKv.Storage.Format;
using TieredKv.Storage.Log;
using TieredKv.Storage.Util;
using TieredKv.Storage.Wal;

namespace TieredKv.Fuzz.Targets;

/// <summary>
/// <see cref="WalReplayer"/> (over <see cref="LogReader"/>) on one segment: in salvage mode, which must never
/// throw, reading every operation of every batch; then strict, as the last segment and as an earlier one, where
/// damage is a <see cref="CorruptionException"/>. Strict must apply no batch that salvage did not.
/// </summary>
internal sealed class WalTarget : IFuzzTarget
{
    private const string FileName = "000001.log";

    public string Name => "wal";

    public long ProducedBytes { get; private set; }

    public void Run(ReadOnlySpan<byte> input)
    {
        ProducedBytes = 0;
        WalReplayResult salvaged;
        try
        {
            salvaged = Replay(input, isLastSegment: true, WalRecoveryMode.Salvage);
        }
        catch (Exception e)
        {
            throw new InvariantViolationException("salvage replay threw", e);
        }
        if (salvaged.ValidLength > input.Length) throw new InvariantViolationException($"valid length {salvaged.ValidLength} past the file's {input.Length} bytes");
        var strict = Replay(input, isLastSegment: true, WalRecoveryMode.Strict);
        if (strict.BatchesApplied != salvaged.BatchesApplied)
            throw new InvariantViolationException($"strict replay applied {strict.BatchesApplied} batches, salvage {salvaged.BatchesApplied}");
        Replay(input, isLastSegment: false, WalRecoveryMode.Strict);
    }

    public bool IsRejection(Exception e) => e is CorruptionException;

    /// <summary>The reader's buffer starts at 64 KiB and grows only to the largest record; each batch is copied once per replay (three replays).</summary>
    public long AllocationBudget(int inputLength, long producedBytes) => (1 << 20) + 64L * inputLength + 8 * producedBytes;

    /// <summary>Walks the records by their length fields and recomputes each one's checksum.</summary>
    public byte[] Repair(byte[] input)
    {
        var copy = (byte[])input.Clone();
        long offset = 0;
        while (offset + LogFormat.HeaderSize <= copy.Length)
        {
            uint length = Coding.ReadFixed32(copy.AsSpan((int)offset));
            if (length > copy.Length - offset - LogFormat.HeaderSize) break;
            var payload = copy.AsSpan((int)offset + LogFormat.HeaderSize, (int)length);
            Coding.WriteFixed32(copy.AsSpan((int)offset + 4), LogFormat.MaskedCrc(copy.AsSpan((int)offset, 4), payload));
            offset += LogFormat.HeaderSize + length;
        }
        return copy;
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        var file = new MemoryFile(FileName);
        using (var writer = new WalWriter(file, 1))
        {
            ulong sequence = 1;
            for (int i = 0; i < 12; i++)
            {
                var batch = new WriteBatch();
                batch.Put(System.Text.Encoding.ASCII.GetBytes($"key{i}"), System.Text.Encoding.ASCII.GetBytes(new string('v', 1 + i * 3)));
                if (i % 3 == 0) batch.Delete(System.Text.Encoding.ASCII.GetBytes($"gone{i}"));
                if (i % 5 == 0) batch.DeleteRange("a"u8, "b"u8);
                writer.AddBatch(sequence, batch);
                sequence += (ulong)batch.Count;
                writer.Commit(sync: false);
            }
        }
        byte[] segment = file.ToArray();
        yield return ("segment.log", segment);
        yield return ("torn-tail.log", segment[..^5]);
    }

    private WalReplayResult Replay(ReadOnlySpan<byte> input, bool isLastSegment, WalRecoveryMode mode)
    {
        var fs = new MemoryFileSystem(new MemoryFile(FileName, input));
        return WalReplayer.Replay(fs, FileName, isLastSegment, mode, NullLogger.Instance, (_, batch) =>
        {
            var reader = batch.GetReader();
            while (reader.MoveNext()) ProducedBytes += reader.Key.Length + reader.Value.Length;
        });
    }
}
