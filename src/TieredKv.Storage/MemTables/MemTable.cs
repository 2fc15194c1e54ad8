using System.Collections.Immutable;
using TieredKv.Storage.Format;

namespace TieredKv.Storage.MemTables;

/// <summary>
/// The in-memory write buffer: every entry of recent write batches in internal-key order, plus the
/// range tombstones they carried. Written by one thread at a time, read by any number.
/// </summary>
internal sealed class MemTable
{
    // Charged per range tombstone: the record and its list node.
    private const int TombstoneOverhead = 96;

    private readonly SkipList _list = new();
    private ImmutableList<RangeTombstone> _tombstones = ImmutableList<RangeTombstone>.Empty;
    private long _tombstoneBytes;
    private long _entryCount;

    /// <param name="walNumber">The WAL segment whose records start this memtable: it and later segments must be kept until the flush.</param>
    public MemTable(ulong walNumber) => WalNumber = walNumber;

    public ulong WalNumber { get; }
    public long ApproximateMemoryUsage => _list.MemoryUsage + Interlocked.Read(ref _tombstoneBytes);
    public long EntryCount => Interlocked.Read(ref _entryCount);
    public bool IsEmpty => EntryCount == 0 && RangeTombstoneList.Count == 0;
    public IReadOnlyList<RangeTombstone> RangeTombstoneList => Volatile.Read(ref _tombstones);

    public void Add(ulong sequence, EntryType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (type == EntryType.RangeDeletion)
        {
            ImmutableInterlocked.Update(ref _tombstones, (list, t) => list.Add(t), new RangeTombstone(key.ToArray(), value.ToArray(), sequence));
            Interlocked.Add(ref _tombstoneBytes, key.Length + value.Length + TombstoneOverhead);
            return;
        }
        _list.Insert(key, InternalKey.PackTrailer(sequence, type), value);
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

    /// <summary>Finds the newest version of the user key in <paramref name="lookupKey"/> (made by <see cref="InternalKey.ForSeek"/>) at or below its sequence; the value is a copy.</summary>
    public bool TryGet(ReadOnlySpan<byte> lookupKey, out ulong sequence, out EntryType type, out byte[] value)
    {
        int node = _list.FindGreaterOrEqual(lookupKey);
        if (node != SkipList.None)
        {
            var key = _list.Key(node);
            if (InternalKey.UserKey(key).SequenceEqual(InternalKey.UserKey(lookupKey)))
            {
                sequence = InternalKey.Sequence(key);
                type = InternalKey.Type(key);
                value = _list.Value(node).ToArray();
                return true;
            }
        }
        sequence = 0;
        type = default;
        value = [];
        return false;
    }

    public IInternalIterator NewIterator() => new MemTableIterator(_list);

    private sealed class MemTableIterator(SkipList list) : IInternalIterator
    {
        private int _node = SkipList.None;

        public bool Valid => _node != SkipList.None;
        public ReadOnlySpan<byte> Key => list.Key(_node);
        public ReadOnlySpan<byte> Value => list.Value(_node);

        public void SeekToFirst() => _node = list.First();
        public void SeekToLast() => _node = list.Last();
        public void Seek(ReadOnlySpan<byte> target) => _node = list.FindGreaterOrEqual(target);
        public void Next() => _node = list.Next(_node, 0);
        public void Prev() => _node = list.FindLessThan(list.Key(_node));
        public void Dispose() { }
    }
}
