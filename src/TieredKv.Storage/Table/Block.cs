using TieredKv.Storage.Format;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// An immutable, parsed block (data or index). The restart array is validated on construction;
/// entries are validated as cursors decode them.
/// </summary>
public sealed class Block
{
    // Recycling (only for blocks whose buffer came from a cache's pool): the creator holds one reference and
    // the cache one while the block is cached; the buffer goes back to the pool when the last is released.
    // A block handed to an iterator is pinned and never recycled, since iterators hold blocks across calls.
    private readonly BlockCache? _pool;
    private int _refs = 1;
    private volatile bool _pinned;

    public Block(byte[] data, int length, string fileName, long blockOffset, BlockCache? pool = null)
    {
        _pool = pool;
        Data = data;
        FileName = fileName;
        BlockOffset = blockOffset;
        if (length < sizeof(uint) || length > data.Length) throw Corrupt("block too short");

        uint count = Coding.ReadFixed32(data.AsSpan(length - sizeof(uint)));
        if (count == 0 || count > (uint)(length - sizeof(uint)) / sizeof(uint))
            throw Corrupt($"bad restart count {count}");
        RestartCount = (int)count;
        RestartsOffset = length - sizeof(uint) - RestartCount * sizeof(uint);

        // Restarts start at 0 and strictly increase inside the entry area (an empty block has the single restart 0).
        int previous = -1;
        for (int i = 0; i < RestartCount; i++)
        {
            uint r = Coding.ReadFixed32(data.AsSpan(RestartsOffset + i * sizeof(uint)));
            bool ok = i == 0 ? r == 0 : r > (uint)previous && r < (uint)RestartsOffset;
            if (!ok) throw Corrupt($"bad restart offset {r} at index {i}");
            previous = (int)r;
        }
        if (RestartsOffset == 0 && RestartCount != 1) throw Corrupt("empty block with several restarts");
    }

    /// <summary>The block contents; only the first <see cref="Size"/> bytes belong to the block.</summary>
    public byte[] Data { get; }

    public string FileName { get; }

    /// <summary>Offset of the block in its file, for error messages and cache keys.</summary>
    public long BlockOffset { get; }

    /// <summary>Where the restart array starts, which is also where the entries end.</summary>
    public int RestartsOffset { get; }

    public int RestartCount { get; }

    public int Size => RestartsOffset + (RestartCount + 1) * sizeof(uint);

    public bool IsEmpty => RestartsOffset == 0;

    public int RestartPoint(int index) => (int)Coding.ReadFixed32(Data.AsSpan(RestartsOffset + index * sizeof(uint)));

    public BlockIterator NewIterator() => new(this);

    /// <summary>Takes a reference; only while another is held (the cache calls it under its lock).</summary>
    internal void Retain() => Interlocked.Increment(ref _refs);

    /// <summary>Marks the block as held by an iterator: its buffer is then never recycled.</summary>
    internal void Pin() => _pinned = true;

    /// <summary>Drops a reference; the last one returns a pooled buffer unless the block was pinned.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0 && _pool != null && !_pinned) _pool.ReturnBuffer(Data);
    }

    public CorruptionException Corrupt(string reason) => new(FileName, BlockOffset, reason);
}

/// <summary>An <see cref="IInternalIterator"/> over one block; can be re-pointed at another block to avoid allocation.</summary>
public sealed class BlockIterator : IInternalIterator
{
    private BlockCursor _cursor;

    public BlockIterator(Block? block = null) => _cursor = new BlockCursor(block, new byte[64]);

    public Block? Block => _cursor.Block;

    /// <summary>Switches to <paramref name="block"/>, leaving the iterator invalid until positioned.</summary>
    public void SetBlock(Block? block) => _cursor.SetBlock(block);

    public bool Valid => _cursor.Valid;
    public void SeekToFirst() => _cursor.SeekToFirst();
    public void SeekToLast() => _cursor.SeekToLast();
    public void Seek(ReadOnlySpan<byte> target) => _cursor.Seek(target);
    public void Next() => _cursor.Next();
    public void Prev() => _cursor.Prev();
    public ReadOnlySpan<byte> Key => _cursor.Key;
    public ReadOnlySpan<byte> Value => _cursor.Value;

    public void Dispose() => _cursor.SetBlock(null);
}
