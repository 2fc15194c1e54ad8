using System.Buffers;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;

namespace TieredKv.Storage.Table;

/// <summary>
/// An open table file. The footer, index, filter and properties are read and verified on open and kept in
/// memory; data blocks are read on demand (checksum always verified) through the optional block cache.
/// Immutable after open, so safe for concurrent lookups and iterators. Owns the file.
/// </summary>
public sealed class TableReader : IDisposable
{
    private const int KeyBufferSize = 256;

    private readonly IRandomAccessFile _file;
    private readonly BlockCache? _cache;
    private readonly TableReadCounters? _counters;
    private readonly Block _index;
    private readonly BloomFilter? _filter;
    private readonly long _dataEnd;

    private TableReader(IRandomAccessFile file, ulong fileNumber, BlockCache? cache, TableReadCounters? counters,
        Block index, BloomFilter? filter, TableProperties properties, long dataEnd, Footer footer)
    {
        Footer = footer;
        _file = file;
        FileNumber = fileNumber;
        _cache = cache;
        CacheId = cache?.NewId() ?? 0;
        _counters = counters;
        _index = index;
        _filter = filter;
        Properties = properties;
        _dataEnd = dataEnd;
    }

    public ulong FileNumber { get; }

    /// <summary>This reader's id in the block cache (0 without a cache).</summary>
    public long CacheId { get; }

    public TableProperties Properties { get; }

    public string FileName => _file.Path;

    /// <summary>Where the index, filter and properties blocks are (for inspection).</summary>
    internal Footer Footer { get; }

    /// <summary>The handles of the data blocks in file order, as the index lists them (for inspection and verification).</summary>
    public IEnumerable<BlockHandle> DataBlockHandles()
    {
        var index = _index.NewIterator();
        for (index.SeekToFirst(); index.Valid; index.Next()) yield return DecodeHandle(index.Value);
    }

    /// <summary>Reads and verifies one data block without caching it.</summary>
    public Block ReadDataBlock(BlockHandle handle)
    {
        if (handle.Offset > (ulong)_dataEnd || handle.Size > (ulong)_dataEnd
            || handle.Offset + handle.Size + BlockFormat.TrailerSize > (ulong)_dataEnd)
            throw new CorruptionException(_file.Path, _index.BlockOffset, $"index points at ({handle.Offset}, {handle.Size}) outside the data");
        var data = BlockFormat.Read(_file, handle, allowCompression: true, null, out int length);
        return new Block(data, length, _file.Path, (long)handle.Offset);
    }

    /// <summary>Opens a table file: reads and verifies the footer and the metadata blocks. Does not dispose <paramref name="file"/> on failure.</summary>
    /// <param name="fileNumber">Names the table in the block cache.</param>
    public static TableReader Open(IRandomAccessFile file, ulong fileNumber, BlockCache? cache = null) => Open(file, fileNumber, cache, null);

    /// <summary>Reads and verifies the footer and the metadata blocks, counting reads. Does not dispose <paramref name="file"/> on failure.</summary>
    internal static TableReader Open(IRandomAccessFile file, ulong fileNumber, BlockCache? cache, TableReadCounters? counters)
    {
        long length = file.Length;
        if (length < Footer.Size) throw new CorruptionException(file.Path, 0, $"file of {length} bytes is too short for a table");
        Span<byte> footerBytes = stackalloc byte[Footer.Size];
        if (file.Read(length - Footer.Size, footerBytes) != Footer.Size)
            throw new CorruptionException(file.Path, length - Footer.Size, "short read of the footer");
        var footer = Footer.Decode(footerBytes, length, file.Path);

        var indexData = BlockFormat.Read(file, footer.Index, allowCompression: false, counters, out int indexLength);
        var index = new Block(indexData, indexLength, file.Path, (long)footer.Index.Offset);

        var propsData = BlockFormat.Read(file, footer.Properties, allowCompression: false, counters, out int propsLength);
        var properties = TableProperties.TryDecode(propsData.AsSpan(0, propsLength))
            ?? throw new CorruptionException(file.Path, (long)footer.Properties.Offset, "malformed properties block");

        BloomFilter? filter = null;
        long dataEnd = (long)footer.Properties.Offset;
        if (footer.Filter.Size != 0)
        {
            var filterData = BlockFormat.Read(file, footer.Filter, allowCompression: false, counters, out int filterLength);
            if (filterLength != filterData.Length) filterData = filterData.AsSpan(0, filterLength).ToArray();
            filter = BloomFilter.TryParse(filterData)
                ?? throw new CorruptionException(file.Path, (long)footer.Filter.Offset, "malformed bloom filter");
            dataEnd = (long)footer.Filter.Offset;
        }
        else if (properties.FilterBitsPerKey != 0)
        {
            throw new CorruptionException(file.Path, (long)footer.Properties.Offset, "properties name a filter the footer lacks");
        }
        return new TableReader(file, fileNumber, cache, counters, index, filter, properties, dataEnd, footer);
    }

    /// <summary>False only if the table certainly holds no entry for <paramref name="userKey"/>.</summary>
    public bool KeyMayMatch(ReadOnlySpan<byte> userKey) => _filter?.KeyMayMatch(userKey) ?? true;

    /// <summary>
    /// Finds the first entry whose internal key is ≥ <paramref name="lookupKey"/> (built with
    /// <see cref="InternalKey.ForSeek"/>) and returns it if it has the same user key.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> lookupKey, out ulong sequence, out EntryType type, out byte[] value, bool fillCache = true)
    {
        sequence = 0;
        type = default;
        value = [];
        var userKey = InternalKey.UserKey(lookupKey);
        if (_filter != null)
        {
            bool absent = !_filter.KeyMayMatch(userKey);
            _counters?.AddBloomCheck(absent);
            if (absent) return false;
        }

        byte[] indexKeyBuffer = ArrayPool<byte>.Shared.Rent(KeyBufferSize);
        byte[] dataKeyBuffer = ArrayPool<byte>.Shared.Rent(KeyBufferSize);
        try
        {
            var index = new BlockCursor(_index, indexKeyBuffer);
            var data = new BlockCursor(null, dataKeyBuffer);
            index.Seek(lookupKey);
            bool first = true;
            while (index.Valid)
            {
                var block = GetDataBlock(index.Value, fillCache, pointLookup: true);
                try
                {
                    data.SetBlock(block);
                    if (first) data.Seek(lookupKey);
                    else data.SeekToFirst();
                    if (data.Valid)
                    {
                        var key = data.Key;
                        if (!InternalKey.UserKey(key).SequenceEqual(userKey)) return false;
                        sequence = InternalKey.Sequence(key);
                        type = InternalKey.Type(key);
                        value = data.Value.ToArray();
                        return true;
                    }
                }
                finally
                {
                    data.SetBlock(null);
                    block.Release(); // nothing of the block is used past here: the copy above is the caller's
                }
                first = false;
                index.Next();
            }
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(indexKeyBuffer);
            ArrayPool<byte>.Shared.Return(dataKeyBuffer);
        }
    }

    /// <summary>A two-level iterator over every entry of the table.</summary>
    public IInternalIterator NewIterator(bool fillCache = true) => new TableIterator(this, _index.NewIterator(), fillCache);

    /// <summary>The approximate file offset where entries ≥ <paramref name="internalKey"/> begin.</summary>
    public long ApproximateOffsetOf(ReadOnlySpan<byte> internalKey)
    {
        var index = new BlockCursor(_index, new byte[64]);
        index.Seek(internalKey);
        return index.Valid ? (long)DecodeHandle(index.Value).Offset : _dataEnd;
    }

    /// <summary>The data block an index entry points at, from the cache or the file.</summary>
    /// <remarks>
    /// A point lookup must <see cref="Block.Release"/> the block when done with it, which lets a cached block's
    /// buffer be reused once evicted; an iterator's block is pinned (never reused), as iterators keep blocks.
    /// </remarks>
    internal Block GetDataBlock(ReadOnlySpan<byte> indexValue, bool fillCache, bool pointLookup = false)
    {
        var handle = DecodeHandle(indexValue);
        long offset = (long)handle.Offset;
        if (handle.Offset > (ulong)_dataEnd || handle.Size > (ulong)_dataEnd
            || handle.Offset + handle.Size + BlockFormat.TrailerSize > (ulong)_dataEnd)
            throw new CorruptionException(_file.Path, _index.BlockOffset, $"index points at ({handle.Offset}, {handle.Size}) outside the data");

        if (_cache != null)
        {
            bool hit = _cache.TryGetBlock(CacheId, offset, pin: !pointLookup, out var cached);
            _counters?.AddCacheLookup(hit);
            if (hit) return cached!;
        }
        var pool = pointLookup ? _cache : null;
        var data = BlockFormat.Read(_file, handle, allowCompression: true, _counters, out int length, pool);
        Block block;
        try
        {
            block = new Block(data, length, _file.Path, offset, pool);
        }
        catch
        {
            pool?.ReturnBuffer(data);
            throw;
        }
        if (_cache != null && fillCache) _cache.Insert(CacheId, offset, block, data.Length);
        return block;
    }

    private BlockHandle DecodeHandle(ReadOnlySpan<byte> indexValue)
    {
        int n = BlockHandle.TryDecode(indexValue, out var handle);
        if (n == 0 || n != indexValue.Length) throw new CorruptionException(_file.Path, _index.BlockOffset, "malformed block handle in index");
        return handle;
    }

    public void Dispose() => _file.Dispose();
}
