using TieredKv.Storage.Format;

namespace TieredKv.Storage.MemTables;

/// <summary>
/// A skip list of (internal key, value) pairs ordered by <see cref="InternalKey.Compare"/>.
/// One writer at a time (the database's write leader); any number of concurrent readers,
/// which never block: a node is fully built before it is published with a volatile write.
/// </summary>
internal sealed class SkipList
{
    internal const int MaxHeight = 12;
    private const int Branching = 4;

    private readonly Node _head = new([], [], MaxHeight);
    private readonly Random _random = new(0x5eed);
    private readonly Node?[] _insertPrev = new Node?[MaxHeight]; // scratch for the single writer
    private int _height = 1;

    internal sealed class Node(byte[] key, byte[] value, int height)
    {
        public readonly byte[] Key = key;
        public readonly byte[] Value = value;
        private readonly Node?[] _next = new Node?[height];

        public Node? Next(int level) => Volatile.Read(ref _next[level]);
        public void SetNext(int level, Node? node) => Volatile.Write(ref _next[level], node);
        public void SetNextRelaxed(int level, Node? node) => _next[level] = node;
    }

    private int Height => Volatile.Read(ref _height);

    /// <summary>Inserts a key that is not already present. Callers serialize inserts.</summary>
    public void Insert(byte[] internalKey, byte[] value)
    {
        Span<Node?> prev = _insertPrev;
        var x = FindGreaterOrEqual(internalKey, prev);
        if (x != null && InternalKey.Compare(x.Key, internalKey) == 0)
            throw new InvalidOperationException($"duplicate internal key {InternalKey.Describe(internalKey)}");

        int height = RandomHeight();
        if (height > Height)
        {
            for (int i = Height; i < height; i++) prev[i] = _head;
            // Readers that see the new height before the node simply find null links at the new levels.
            Volatile.Write(ref _height, height);
        }

        var node = new Node(internalKey, value, height);
        for (int i = 0; i < height; i++)
        {
            node.SetNextRelaxed(i, prev[i]!.Next(i));
            prev[i]!.SetNext(i, node);
        }
    }

    /// <summary>The first node with key ≥ <paramref name="key"/>, or null.</summary>
    public Node? FindGreaterOrEqual(ReadOnlySpan<byte> key) => FindGreaterOrEqual(key, default);

    private Node? FindGreaterOrEqual(ReadOnlySpan<byte> key, Span<Node?> prev)
    {
        Node x = _head;
        int level = Height - 1;
        while (true)
        {
            var next = x.Next(level);
            if (next != null && InternalKey.Compare(next.Key, key) < 0)
            {
                x = next;
                continue;
            }
            if (!prev.IsEmpty) prev[level] = x;
            if (level == 0) return next;
            level--;
        }
    }

    /// <summary>The last node with key &lt; <paramref name="key"/>, or null.</summary>
    public Node? FindLessThan(ReadOnlySpan<byte> key) => FindLast(key, bounded: true);

    public Node? First() => _head.Next(0);

    public Node? Last() => FindLast(default, bounded: false);

    /// <summary>The last node, or with <paramref name="bounded"/> the last one below <paramref name="bound"/>.</summary>
    private Node? FindLast(ReadOnlySpan<byte> bound, bool bounded)
    {
        Node x = _head;
        int level = Height - 1;
        while (true)
        {
            var next = x.Next(level);
            if (next != null && (!bounded || InternalKey.Compare(next.Key, bound) < 0))
            {
                x = next;
                continue;
            }
            if (level == 0) return ReferenceEquals(x, _head) ? null : x;
            level--;
        }
    }

    private int RandomHeight()
    {
        int height = 1;
        while (height < MaxHeight && _random.Next(Branching) == 0) height++;
        return height;
    }
}
