using TieredKv.Storage.Format;

namespace TieredKv.Storage.MemTables;

/// <summary>
/// A skip list of (internal key, value) entries ordered by <see cref="InternalKey.Compare"/>, kept
/// in a few large arrays instead of objects per entry: entry bytes live in an append-only byte
/// arena, nodes in segments of ints. A memtable lives until its flush, so per-entry objects would
/// all be promoted by the GC; here there are none.
/// One writer at a time (the database's write leader); any number of concurrent readers, which
/// never block: a node is fully written before a volatile write of its predecessor's link
/// publishes it, and the arrays it lives in are published before it.
/// </summary>
internal sealed class SkipList
{
    internal const int MaxHeight = 12;
    private const int Branching = 4;

    // Node record: chunk, offset, key length, value length, height, the first 24 bytes of the user key
    // as three big-endian numbers (six ints), then one link per level. Comparing the prefix first
    // decides most comparisons without touching the arena: one cache miss per node instead of two.
    private const int ChunkField = 0, OffsetField = 1, KeyLengthField = 2, ValueLengthField = 3, HeightField = 4, PrefixField = 5, LinksField = 11;
    private const int PrefixBytes = 24;
    private const int SegmentBits = 14;
    private const int SegmentInts = 1 << SegmentBits;
    private const int MinChunkSize = 4 << 10;
    private const int MaxChunkSize = 1 << 20;

    /// <summary>Node id 0 is the head; as a link it means "none" (the head is never a successor).</summary>
    public const int None = 0;

    private readonly Random _random = new(0x5eed);
    private readonly int[] _insertPrev = new int[MaxHeight]; // scratch for the single writer
    private int[][] _segments = [new int[SegmentInts]];
    private int _nextNodeId;
    private byte[][] _chunks = [];
    private int _currentChunk = -1;
    private int _chunkUsed;
    private long _usedBytes;
    private int _height = 1;

    public SkipList()
    {
        int head = AllocateNode(MaxHeight);
        Segment(head)[Offset(head) + HeightField] = MaxHeight;
    }

    /// <summary>Bytes of entries and node records (what the memtable holds, not what it has reserved).</summary>
    public long MemoryUsage => Volatile.Read(ref _usedBytes);

    private int Height => Volatile.Read(ref _height);

    /// <summary>Inserts an entry whose internal key is <paramref name="userKey"/> + <paramref name="trailer"/>; the key must not be present yet.</summary>
    public void Insert(ReadOnlySpan<byte> userKey, ulong trailer, ReadOnlySpan<byte> value)
    {
        int keyLength = userKey.Length + InternalKey.TrailerSize;
        var (chunk, offset) = AllocateEntry(keyLength + value.Length);
        var bytes = _chunks[chunk].AsSpan(offset, keyLength + value.Length);
        userKey.CopyTo(bytes);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[userKey.Length..], trailer);
        value.CopyTo(bytes[keyLength..]);
        var internalKey = bytes[..keyLength];

        Span<int> prev = _insertPrev;
        var keyPrefix = new KeyPrefix(userKey);
        int found = FindGreaterOrEqual(internalKey, keyPrefix, prev);
        // The prefix check settles this without reading the arena unless the user keys match.
        if (found != None && Compare(found, internalKey, keyPrefix) == 0)
            throw new InvalidOperationException($"duplicate internal key {InternalKey.Describe(internalKey)}");

        int height = RandomHeight();
        int node = AllocateNode(height);
        var segment = Segment(node);
        int o = Offset(node);
        segment[o + ChunkField] = chunk;
        segment[o + OffsetField] = offset;
        segment[o + KeyLengthField] = keyLength;
        segment[o + ValueLengthField] = value.Length;
        segment[o + HeightField] = height;
        var prefix = new KeyPrefix(userKey);
        segment[o + PrefixField] = (int)(prefix.High >> 32);
        segment[o + PrefixField + 1] = (int)prefix.High;
        segment[o + PrefixField + 2] = (int)(prefix.Middle >> 32);
        segment[o + PrefixField + 3] = (int)prefix.Middle;
        segment[o + PrefixField + 4] = (int)(prefix.Low >> 32);
        segment[o + PrefixField + 5] = (int)prefix.Low;

        if (height > Height)
        {
            for (int i = Height; i < height; i++) prev[i] = None; // the head
            // Readers that see the new height before the node simply find no link at the new levels.
            Volatile.Write(ref _height, height);
        }
        for (int i = 0; i < height; i++)
        {
            segment[o + LinksField + i] = Next(prev[i], i);
            SetNext(prev[i], i, node);
        }
    }

    public ReadOnlySpan<byte> Key(int node)
    {
        var segment = Segment(node);
        int o = Offset(node);
        return Chunk(segment[o + ChunkField]).AsSpan(segment[o + OffsetField], segment[o + KeyLengthField]);
    }

    public ReadOnlySpan<byte> Value(int node)
    {
        var segment = Segment(node);
        int o = Offset(node);
        return Chunk(segment[o + ChunkField]).AsSpan(segment[o + OffsetField] + segment[o + KeyLengthField], segment[o + ValueLengthField]);
    }

    public int Next(int node, int level) => Volatile.Read(ref Segment(node)[Offset(node) + LinksField + level]);

    /// <summary>The first node with key ≥ <paramref name="key"/>, or <see cref="None"/>.</summary>
    public int FindGreaterOrEqual(ReadOnlySpan<byte> key) => FindGreaterOrEqual(key, new KeyPrefix(InternalKey.UserKey(key)), default);

    private int FindGreaterOrEqual(ReadOnlySpan<byte> key, in KeyPrefix prefix, Span<int> prev)
    {
        int x = None; // the head
        int level = Height - 1;
        while (true)
        {
            int next = Next(x, level);
            if (next != None && Compare(next, key, prefix) < 0)
            {
                x = next;
                continue;
            }
            if (!prev.IsEmpty) prev[level] = x;
            if (level == 0) return next;
            level--;
        }
    }

    /// <summary>The last node with key &lt; <paramref name="key"/>, or <see cref="None"/>.</summary>
    public int FindLessThan(ReadOnlySpan<byte> key) => FindLast(key, bounded: true);

    public int First() => Next(None, 0);

    public int Last() => FindLast(default, bounded: false);

    /// <summary>The last node, or with <paramref name="bounded"/> the last one below <paramref name="bound"/>.</summary>
    private int FindLast(ReadOnlySpan<byte> bound, bool bounded)
    {
        var prefix = bounded ? new KeyPrefix(InternalKey.UserKey(bound)) : default;
        int x = None;
        int level = Height - 1;
        while (true)
        {
            int next = Next(x, level);
            if (next != None && (!bounded || Compare(next, bound, prefix) < 0))
            {
                x = next;
                continue;
            }
            if (level == 0) return x;
            level--;
        }
    }

    /// <summary>Compares a node's internal key with <paramref name="key"/>, whose user-key prefix is <paramref name="prefix"/>.</summary>
    private int Compare(int node, ReadOnlySpan<byte> key, in KeyPrefix prefix)
    {
        var segment = Segment(node);
        int o = Offset(node);
        ulong high = ((ulong)(uint)segment[o + PrefixField] << 32) | (uint)segment[o + PrefixField + 1];
        if (high != prefix.High) return high < prefix.High ? -1 : 1;
        ulong middle = ((ulong)(uint)segment[o + PrefixField + 2] << 32) | (uint)segment[o + PrefixField + 3];
        if (middle != prefix.Middle) return middle < prefix.Middle ? -1 : 1;
        ulong low = ((ulong)(uint)segment[o + PrefixField + 4] << 32) | (uint)segment[o + PrefixField + 5];
        if (low != prefix.Low) return low < prefix.Low ? -1 : 1;
        int nodeUserLength = segment[o + KeyLengthField] - InternalKey.TrailerSize;
        if (nodeUserLength <= PrefixBytes && prefix.UserKeyLength <= PrefixBytes && nodeUserLength != prefix.UserKeyLength)
            return nodeUserLength < prefix.UserKeyLength ? -1 : 1; // equal but for zero padding: the shorter sorts first
        return InternalKey.Compare(Key(node), key);
    }

    /// <summary>The first 24 bytes of a user key, zero-padded, as three big-endian numbers: they order as the bytes do.</summary>
    private readonly struct KeyPrefix
    {
        public KeyPrefix(ReadOnlySpan<byte> userKey)
        {
            Span<byte> padded = stackalloc byte[PrefixBytes];
            padded.Clear();
            userKey[..Math.Min(userKey.Length, PrefixBytes)].CopyTo(padded);
            High = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(padded);
            Middle = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(padded[8..]);
            Low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(padded[16..]);
            UserKeyLength = userKey.Length;
        }

        public ulong High { get; }
        public ulong Middle { get; }
        public ulong Low { get; }
        public int UserKeyLength { get; }
    }

    private void SetNext(int node, int level, int target) => Volatile.Write(ref Segment(node)[Offset(node) + LinksField + level], target);

    // Readers re-read the directories on every access: a grown directory is published before any node that needs it.
    private int[] Segment(int node) => Volatile.Read(ref _segments)[node >> SegmentBits];
    private static int Offset(int node) => node & (SegmentInts - 1);
    private byte[] Chunk(int index) => Volatile.Read(ref _chunks)[index];

    private int AllocateNode(int height)
    {
        int size = LinksField + height;
        int id = _nextNodeId;
        if (Offset(id) + size > SegmentInts) id = (id >> SegmentBits) + 1 << SegmentBits; // records never straddle segments
        int segmentIndex = id >> SegmentBits;
        if (segmentIndex >= _segments.Length)
        {
            if (segmentIndex >= (int.MaxValue >> SegmentBits)) throw new InvalidOperationException("memtable node space exhausted");
            var grown = new int[segmentIndex + 1][];
            Array.Copy(_segments, grown, _segments.Length);
            grown[segmentIndex] = new int[SegmentInts];
            Volatile.Write(ref _segments, grown);
        }
        _nextNodeId = id + size;
        Interlocked.Add(ref _usedBytes, size * sizeof(int));
        return id;
    }

    private (int Chunk, int Offset) AllocateEntry(int size)
    {
        Interlocked.Add(ref _usedBytes, size);
        if (size > MaxChunkSize / 4)
        {
            // Large entries get a chunk of their own, so that the shared chunk is not wasted.
            return (AddChunk(new byte[size]), 0);
        }
        if (_currentChunk < 0 || _chunkUsed + size > _chunks[_currentChunk].Length)
        {
            // Chunks grow from small to large, so that a tiny memtable does not reserve a megabyte.
            int previous = _currentChunk < 0 ? MinChunkSize / 2 : _chunks[_currentChunk].Length;
            _currentChunk = AddChunk(new byte[Math.Max(Math.Min(previous * 2, MaxChunkSize), size)]);
            _chunkUsed = 0;
        }
        int offset = _chunkUsed;
        _chunkUsed += size;
        return (_currentChunk, offset);
    }

    private int AddChunk(byte[] chunk)
    {
        var grown = new byte[_chunks.Length + 1][];
        Array.Copy(_chunks, grown, _chunks.Length);
        grown[^1] = chunk;
        Volatile.Write(ref _chunks, grown);
        return grown.Length - 1;
    }

    private int RandomHeight()
    {
        int height = 1;
        while (height < MaxHeight && _random.Next(Branching) == 0) height++;
        return height;
    }
}
