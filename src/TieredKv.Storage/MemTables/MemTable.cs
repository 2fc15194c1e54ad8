using System.Collections.Immutable;
using TieredKv.Storage.Format;
using TieredKv.Storage.Iterators;

namespace TieredKv.Storage.MemTables;

/// <summary>
/// The in-memory write buffer: every entry of recent write batches in internal-key order, plus the
/// range tombstones they carried. Written by one thread at a time, read by any number.
/// </summary>
internal sealed class MemTable
{
    // Approximate per-entry overhead of a skip-list node, its arrays and object headers.
    private const int EntryOverhead = 96;

    private readonly SkipList _list = new();
    private ImmutableList<RangeTombstone> _tombstones = ImmutableList<RangeTombstone>.Empty;
    private long _memoryUsage;
    private long _entryCount;

    /// <param name="walNumber">The WAL segment whose records start this memtable: it and later segments must be kept until the flush.</param>
    public MemTable(ulong walNumber) => WalNumber = walNumber;

    public ulong WalNumber { get; }
    public long ApproximateMemoryUsage => Interlocked.Read(ref _memoryUsage);
    public long EntryCount => Interlocked.Read(ref _entryCount);
    public bool IsEmpty => EntryCount == 0 && RangeTombstoneList.Count == 0;
    public IReadOnlyList<RangeTombstone> RangeTombstoneList => Volatile.Read(ref _tombstones);

    public void Add(ulong sequence, EntryType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (type == EntryType.RangeDeletion)
        {
            ImmutableInterlocked.Update(ref _tombstones, (list, t) => list.Add(t), new RangeTombstone(key.ToArray(), value.ToArray(), sequence));
            Interlocked.Add(ref _memoryUsage, key.Length + value.Length + EntryOverhead);
            return;
        }
        var internalKey = InternalKey.Create(key, sequence, type);
        _list.Insert(internalKey, value.ToArray());
        Interlocked.Add(ref _memoryUsage, internalKey.Length + value.Length + EntryOverhead);
        Interlocked.Increment(ref _entryCount);
    }

    /// <summary>Applies every operation of a batch whose first operation has <paramref name="firstSequence"/>.</summary>
    public void Apply(ulong firstSequence, WriteBatch batch)
    {
        ulong sequence = firstSequence;
        var reader = batch.GetReader();
        while (reader.MoveNext())
            Add(sequence++, reader.Type, reader.Key, reader.Value);
    }

    /// <summary>Finds the newest version of the user key in <paramref name="lookupKey"/> (made by <see cref="InternalKey.ForSeek"/>) at or below its sequence.</summary>
    public bool TryGet(ReadOnlySpan<byte> lookupKey, out ulong sequence, out EntryType type, out byte[] value)
    {
        var node = _list.FindGreaterOrEqual(lookupKey);
        if (node != null && InternalKey.UserKey(node.Key).SequenceEqual(InternalKey.UserKey(lookupKey)))
        {
            sequence = InternalKey.Sequence(node.Key);
            type = InternalKey.Type(node.Key);
            value = node.Value;
            return true;
        }
        sequence = 0;
        type = default;
        value = [];
        return false;
    }

    public IInternalIterator NewIterator() => new MemTableIterator(_list);

    private sealed class MemTableIterator(SkipList list) : IInternalIterator
    {
        private SkipList.Node? _node;

        public bool Valid => _node != null;
        public ReadOnlySpan<byte> Key => _node!.Key;
        public ReadOnlySpan<byte> Value => _node!.Value;

        public void SeekToFirst() => _node = list.First();
        public void SeekToLast() => _node = list.Last();
        public void Seek(ReadOnlySpan<byte> target) => _node = list.FindGreaterOrEqual(target);
        public void Next() => _node = _node!.Next(0);
        public void Prev() => _node = list.FindLessThan(_node!.Key);
        public void Dispose() { }
    }
}
