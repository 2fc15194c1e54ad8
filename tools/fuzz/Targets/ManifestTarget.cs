using TieredKv.Storage.Format;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.Util;

namespace TieredKv.Fuzz.Targets;

/// <summary><see cref="VersionEdit.Decode"/> over one manifest record's payload, which must re-encode to a record that decodes the same.</summary>
internal sealed class ManifestTarget : IFuzzTarget
{
    public string Name => "manifest";

    public long ProducedBytes => 0;

    public void Run(ReadOnlySpan<byte> input)
    {
        var edit = VersionEdit.Decode(input);
        var encoded = new ByteBuffer();
        edit.EncodeTo(encoded);
        var again = new ByteBuffer();
        VersionEdit.Decode(encoded.Span).EncodeTo(again);
        if (!encoded.Span.SequenceEqual(again.Span)) throw new InvariantViolationException("a decoded edit does not re-encode stably");
    }

    /// <summary>Decode documents <see cref="FormatException"/> for anything malformed.</summary>
    public bool IsRejection(Exception e) => e is FormatException;

    /// <summary>Fields are copied out of the record and encoded twice more.</summary>
    public long AllocationBudget(int inputLength, long producedBytes) => (1 << 20) + 64L * inputLength;

    public byte[] Repair(byte[] input) => input;

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        var edit = new VersionEdit { LogNumber = 7, NextFileNumber = 12, LastSequence = 4096 };
        edit.AddFile(0, new FileMetaData
        {
            Number = 11, Size = 2048, Smallest = InternalKey.Create("a"u8, 5, EntryType.Value), Largest = InternalKey.Create("m"u8, 9, EntryType.Deletion),
            SmallestSequence = 5, LargestSequence = 9, EntryCount = 3, DeletionCount = 1,
        });
        edit.DeleteFile(1, 4);
        edit.CompactPointers.Add((1, InternalKey.Create("k"u8, 3, EntryType.Value)));
        edit.AddedRangeTombstones.Add(new RangeTombstone("b"u8.ToArray(), "c"u8.ToArray(), 100));
        edit.RemovedRangeTombstones.Add(99);
        var buffer = new ByteBuffer();
        edit.EncodeTo(buffer);
        yield return ("edit.bin", buffer.Span.ToArray());
        var small = new ByteBuffer();
        new VersionEdit { LastSequence = 1 }.EncodeTo(small);
        yield return ("last-sequence.bin", small.Span.ToArray());
    }
}
