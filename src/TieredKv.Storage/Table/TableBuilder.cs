using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// Writes a table file: data blocks, then the bloom filter, properties and index blocks, then the footer
/// (see format-spec/sstable.md). Keys must be added in strictly increasing internal-key order.
/// <see cref="Finish"/> does not fsync; the caller syncs and closes the file.
/// </summary>
public sealed class TableBuilder
{
    private readonly IWritableFile _file;
    private readonly TableBuilderOptions _options;
    private readonly BlockBuilder _dataBlock;
    private readonly BlockBuilder _indexBlock;
    private readonly BloomFilterBuilder? _filter;
    private readonly ByteBuffer _compressed = new(4096);
    private readonly ByteBuffer _scratch = new(64);
    private readonly ByteBuffer _lastKey = new(64);
    private long _offset;
    private bool _pendingIndexEntry;
    private BlockHandle _pendingHandle;
    private bool _closed;

    private ulong _deletions;
    private ulong _smallestSeq = ulong.MaxValue;
    private ulong _largestSeq;
    private ulong _rawKeyBytes;
    private ulong _rawValueBytes;
    private ulong _dataBlocks;

    public TableBuilder(IWritableFile file, TableBuilderOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BlockSize, 1);
        _file = file;
        _options = options;
        _dataBlock = new BlockBuilder(options.RestartInterval);
        _indexBlock = new BlockBuilder(1); // index entries are few and seeked directly: no prefix sharing
        if (options.BloomBitsPerKey > 0) _filter = new BloomFilterBuilder(options.BloomBitsPerKey);
    }

    public long NumEntries { get; private set; }

    /// <summary>Bytes written so far plus the size of the block being built.</summary>
    public long FileSize => _offset + (_dataBlock.IsEmpty ? 0 : _dataBlock.CurrentSizeEstimate);

    /// <summary>A copy of the first internal key added, or null.</summary>
    public byte[]? SmallestKey { get; private set; }

    /// <summary>A copy of the last internal key added, or null.</summary>
    public byte[]? LargestKey => NumEntries == 0 ? null : _lastKey.ToArray();

    /// <summary>The properties written by <see cref="Finish"/>.</summary>
    public TableProperties? Properties { get; private set; }

    public void Add(ReadOnlySpan<byte> internalKey, ReadOnlySpan<byte> value)
    {
        ThrowIfClosed();
        if (internalKey.Length < InternalKey.TrailerSize) throw new ArgumentException("not an internal key", nameof(internalKey));
        bool sameUserKey = false;
        if (NumEntries > 0)
        {
            if (InternalKey.Compare(internalKey, _lastKey.Span) <= 0)
                throw new InvalidOperationException(
                    $"table keys out of order: {InternalKey.Describe(internalKey)} after {InternalKey.Describe(_lastKey.Span)}");
            sameUserKey = InternalKey.UserKey(internalKey).SequenceEqual(InternalKey.UserKey(_lastKey.Span));
        }

        if (_pendingIndexEntry)
        {
            AddIndexEntry(Separator(_lastKey.Span, internalKey));
        }

        if (NumEntries == 0) SmallestKey = internalKey.ToArray();
        if (_filter != null && !sameUserKey) _filter.AddKey(InternalKey.UserKey(internalKey));

        ulong seq = InternalKey.Sequence(internalKey);
        if (InternalKey.Type(internalKey) == EntryType.Deletion) _deletions++;
        _smallestSeq = Math.Min(_smallestSeq, seq);
        _largestSeq = Math.Max(_largestSeq, seq);
        _rawKeyBytes += (ulong)internalKey.Length;
        _rawValueBytes += (ulong)value.Length;

        _lastKey.Clear();
        _lastKey.Append(internalKey);
        NumEntries++;
        _dataBlock.Add(internalKey, value);
        if (_dataBlock.CurrentSizeEstimate >= _options.BlockSize) FlushDataBlock();
    }

    /// <summary>Writes the remaining blocks and the footer. The file is flushed but not synced.</summary>
    public void Finish()
    {
        ThrowIfClosed();
        FlushDataBlock();
        _closed = true;

        var filterHandle = default(BlockHandle);
        if (_filter != null) filterHandle = WriteBlock(_filter.Finish(), CompressionType.None);

        Properties = new TableProperties
        {
            EntryCount = (ulong)NumEntries,
            DeletionCount = _deletions,
            SmallestSequence = NumEntries == 0 ? 0 : _smallestSeq,
            LargestSequence = _largestSeq,
            RawKeyBytes = _rawKeyBytes,
            RawValueBytes = _rawValueBytes,
            DataBlockCount = _dataBlocks,
            FilterBitsPerKey = (ulong)Math.Max(0, _options.BloomBitsPerKey),
        };
        _scratch.Clear();
        Properties.EncodeTo(_scratch);
        var propertiesHandle = WriteBlock(_scratch.Span, CompressionType.None);

        if (_pendingIndexEntry) AddIndexEntry(Successor(_lastKey.Span));
        var indexHandle = WriteBlock(_indexBlock.Finish(), CompressionType.None);

        Span<byte> footer = stackalloc byte[Footer.Size];
        new Footer(indexHandle, filterHandle, propertiesHandle).EncodeTo(footer);
        _file.Append(footer);
        _offset += Footer.Size;
        _file.Flush();
    }

    /// <summary>Stops building; the caller deletes the file.</summary>
    public void Abandon() => _closed = true;

    private void FlushDataBlock()
    {
        if (_dataBlock.IsEmpty) return;
        _pendingHandle = WriteBlock(_dataBlock.Finish(), _options.Compression);
        _dataBlock.Reset();
        _dataBlocks++;
        _pendingIndexEntry = true;
    }

    private void AddIndexEntry(ReadOnlySpan<byte> separator)
    {
        _scratch.Clear();
        _pendingHandle.EncodeTo(_scratch);
        _indexBlock.Add(separator, _scratch.Span);
        _pendingIndexEntry = false;
    }

    private BlockHandle WriteBlock(ReadOnlySpan<byte> contents, CompressionType compression)
    {
        var stored = BlockFormat.Compress(contents, compression, _compressed, out var type);
        Span<byte> trailer = stackalloc byte[BlockFormat.TrailerSize];
        BlockFormat.WriteTrailer(trailer, stored, type);
        var handle = new BlockHandle((ulong)_offset, (ulong)stored.Length);
        _file.Append(stored);
        _file.Append(trailer);
        _offset += stored.Length + BlockFormat.TrailerSize;
        return handle;
    }

    /// <summary>
    /// A short internal key k with <paramref name="last"/> ≤ k &lt; <paramref name="next"/>: the shortest user key
    /// between the two, tagged with the largest trailer so it sorts before every real entry of that user key.
    /// </summary>
    private static byte[] Separator(ReadOnlySpan<byte> last, ReadOnlySpan<byte> next)
    {
        var a = InternalKey.UserKey(last);
        var b = InternalKey.UserKey(next);
        int common = a.CommonPrefixLength(b);
        if (common < a.Length && common < b.Length)
        {
            byte diff = a[common];
            if (diff < 0xFF && diff + 1 < b[common])
            {
                var key = new byte[common + 1 + InternalKey.TrailerSize];
                InternalKey.Encode(key, a[..(common + 1)], InternalKey.MaxSequence, InternalKey.TypeForSeek);
                key[common]++;
                return key;
            }
        }
        return last.ToArray();
    }

    /// <summary>A short internal key ≥ <paramref name="last"/>: its user key with the first non-0xFF byte incremented and cut there.</summary>
    private static byte[] Successor(ReadOnlySpan<byte> last)
    {
        var a = InternalKey.UserKey(last);
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == 0xFF) continue;
            var key = new byte[i + 1 + InternalKey.TrailerSize];
            InternalKey.Encode(key, a[..(i + 1)], InternalKey.MaxSequence, InternalKey.TypeForSeek);
            key[i]++;
            return key;
        }
        return last.ToArray();
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new InvalidOperationException("table builder already finished or abandoned");
    }
}
