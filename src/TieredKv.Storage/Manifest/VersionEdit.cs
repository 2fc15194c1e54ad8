using TieredKv.Storage.Format;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Manifest;

/// <summary>
/// One change to the set of live files, as recorded in the MANIFEST (format-spec/manifest.md):
/// tables added and removed per level, range tombstones added and retired, and counters.
/// </summary>
public sealed class VersionEdit
{
    private enum Tag : uint
    {
        LogNumber = 1,
        NextFileNumber = 2,
        LastSequence = 3,
        CompactPointer = 4,
        DeletedFile = 5,
        NewFile = 6,
        AddRangeTombstone = 7,
        RemoveRangeTombstone = 8,
    }

    public ulong? LogNumber { get; set; }
    public ulong? NextFileNumber { get; set; }
    public ulong? LastSequence { get; set; }
    public List<(int Level, byte[] Key)> CompactPointers { get; } = [];
    public HashSet<(int Level, ulong Number)> DeletedFiles { get; } = [];
    public List<(int Level, FileMetaData File)> NewFiles { get; } = [];
    public List<RangeTombstone> AddedRangeTombstones { get; } = [];

    /// <summary>Range tombstones retired, by sequence number (unique per tombstone).</summary>
    public List<ulong> RemovedRangeTombstones { get; } = [];

    public void AddFile(int level, FileMetaData file) => NewFiles.Add((level, file));
    public void DeleteFile(int level, ulong number) => DeletedFiles.Add((level, number));

    public void EncodeTo(ByteBuffer dst)
    {
        if (LogNumber is { } log) { dst.AppendVarint32((uint)Tag.LogNumber); dst.AppendVarint64(log); }
        if (NextFileNumber is { } next) { dst.AppendVarint32((uint)Tag.NextFileNumber); dst.AppendVarint64(next); }
        if (LastSequence is { } last) { dst.AppendVarint32((uint)Tag.LastSequence); dst.AppendVarint64(last); }
        foreach (var (level, key) in CompactPointers)
        {
            dst.AppendVarint32((uint)Tag.CompactPointer);
            dst.AppendVarint32((uint)level);
            dst.AppendLengthPrefixed(key);
        }
        foreach (var (level, number) in DeletedFiles.OrderBy(d => d.Level).ThenBy(d => d.Number))
        {
            dst.AppendVarint32((uint)Tag.DeletedFile);
            dst.AppendVarint32((uint)level);
            dst.AppendVarint64(number);
        }
        foreach (var (level, f) in NewFiles)
        {
            dst.AppendVarint32((uint)Tag.NewFile);
            dst.AppendVarint32((uint)level);
            dst.AppendVarint64(f.Number);
            dst.AppendVarint64((ulong)f.Size);
            dst.AppendLengthPrefixed(f.Smallest);
            dst.AppendLengthPrefixed(f.Largest);
            dst.AppendVarint64(f.SmallestSequence);
            dst.AppendVarint64(f.LargestSequence);
            dst.AppendVarint64((ulong)f.EntryCount);
            dst.AppendVarint64((ulong)f.DeletionCount);
            dst.AppendVarint64(f.TombstoneHorizon);
        }
        foreach (var t in AddedRangeTombstones)
        {
            dst.AppendVarint32((uint)Tag.AddRangeTombstone);
            dst.AppendLengthPrefixed(t.Begin);
            dst.AppendLengthPrefixed(t.End);
            dst.AppendVarint64(t.Sequence);
        }
        foreach (ulong seq in RemovedRangeTombstones)
        {
            dst.AppendVarint32((uint)Tag.RemoveRangeTombstone);
            dst.AppendVarint64(seq);
        }
    }

    /// <exception cref="FormatException">The bytes are not a well-formed edit.</exception>
    public static VersionEdit Decode(ReadOnlySpan<byte> src)
    {
        var edit = new VersionEdit();
        var r = new SpanReader(src);
        while (!r.AtEnd)
        {
            var tag = (Tag)r.Varint32();
            switch (tag)
            {
                case Tag.LogNumber: edit.LogNumber = r.Varint64(); break;
                case Tag.NextFileNumber: edit.NextFileNumber = r.Varint64(); break;
                case Tag.LastSequence: edit.LastSequence = r.Varint64(); break;
                case Tag.CompactPointer: edit.CompactPointers.Add((r.Level(), r.LengthPrefixed())); break;
                case Tag.DeletedFile: edit.DeletedFiles.Add((r.Level(), r.Varint64())); break;
                case Tag.NewFile:
                    int level = r.Level();
                    edit.NewFiles.Add((level, new FileMetaData
                    {
                        Number = r.Varint64(),
                        Size = r.Int64(),
                        Smallest = r.InternalKey(),
                        Largest = r.InternalKey(),
                        SmallestSequence = r.Varint64(),
                        LargestSequence = r.Varint64(),
                        EntryCount = r.Int64(),
                        DeletionCount = r.Int64(),
                        TombstoneHorizon = r.Varint64(),
                    }));
                    break;
                case Tag.AddRangeTombstone:
                    edit.AddedRangeTombstones.Add(new RangeTombstone(r.LengthPrefixed(), r.LengthPrefixed(), r.Varint64()));
                    break;
                case Tag.RemoveRangeTombstone: edit.RemovedRangeTombstones.Add(r.Varint64()); break;
                default: throw new FormatException($"unknown version edit tag {(uint)tag}");
            }
        }
        return edit;
    }

    private ref struct SpanReader(ReadOnlySpan<byte> src)
    {
        private ReadOnlySpan<byte> _rest = src;

        public readonly bool AtEnd => _rest.IsEmpty;

        public ulong Varint64()
        {
            int n = Coding.ReadVarint64(_rest, out ulong v);
            if (n == 0) throw new FormatException("version edit: malformed varint");
            _rest = _rest[n..];
            return v;
        }

        public uint Varint32()
        {
            ulong v = Varint64();
            return v <= uint.MaxValue ? (uint)v : throw new FormatException("version edit: varint out of range");
        }

        /// <summary>A varint that must fit a long (sizes and counts): a larger one is corruption, not an overflow.</summary>
        public long Int64()
        {
            ulong v = Varint64();
            return v <= long.MaxValue ? (long)v : throw new FormatException($"version edit: value {v} out of range");
        }

        public int Level()
        {
            uint level = Varint32();
            return level < 64 ? (int)level : throw new FormatException($"version edit: level {level} out of range");
        }

        public byte[] LengthPrefixed()
        {
            uint length = Varint32();
            if (length > (uint)_rest.Length) throw new FormatException("version edit: field cut short");
            var bytes = _rest[..(int)length].ToArray();
            _rest = _rest[(int)length..];
            return bytes;
        }

        public byte[] InternalKey()
        {
            var key = LengthPrefixed();
            return Format.InternalKey.IsValid(key) ? key : throw new FormatException("version edit: malformed internal key");
        }
    }
}
