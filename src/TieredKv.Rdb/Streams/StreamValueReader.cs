using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Streams;

/// <summary>
/// Reads one stream value of RDB type 15, 19 or 21 (rdb.c's rdbLoadObject) from the input, in file order: the
/// nodes (a 16-byte big-endian master ID, then a listpack) one at a time, yielding their live entries; then the
/// metadata and the consumer groups, which are small enough to hold. Only one node is in memory at a time.
/// </summary>
internal sealed class StreamValueReader
{
    private readonly RdbInput _input;
    private readonly byte _type;
    private ulong _nodesLeft;
    private ListpackReader? _node;
    private StreamId _master;
    private StreamId? _previousMaster;
    private byte[][] _masterFields = [];
    private long _masterFieldCount;
    // Entries being passed over are walked without building their byte arrays: skipping costs no allocation per item.
    private bool _keep = true;
    private long _nodeItemsLeft, _nodeLive, _nodeDeleted, _nodeSeenLive, _nodeSeenDeleted;
    private long _nodeStart;
    private int _nodeBytes;
    private StreamId? _previousEntry;
    private StreamId? _firstLive;
    private long _live;
    private bool _entriesDone;
    private RdbStreamMetadata _metadata;
    private IReadOnlyList<RdbStreamGroup> _groups = [];

    public StreamValueReader(RdbInput input, byte type)
    {
        _input = input;
        _type = type;
        _nodesLeft = input.ReadLength("stream listpack count");
    }

    /// <summary>True once the whole value, groups included, has been read.</summary>
    public bool Finished { get; private set; }

    public RdbStreamMetadata Metadata => Finished ? _metadata : throw new InvalidOperationException("the stream's metadata follows its entries");

    public IReadOnlyList<RdbStreamGroup> Groups => Finished ? _groups : throw new InvalidOperationException("the stream's groups follow its entries");

    /// <summary>The next live entry; false once the entries are exhausted (deleted ones are passed over).</summary>
    public bool TryReadEntry([NotNullWhen(true)] out RdbStreamEntry? entry)
    {
        _keep = true;
        return Advance(out entry) && entry != null;
    }

    /// <summary>Reads the entries left (checking them, keeping nothing), the metadata and the groups.</summary>
    public void Finish()
    {
        if (Finished) return;
        _keep = false;
        while (Advance(out _)) { }
        ReadMetadata();
        ReadGroups();
        Finished = true;
    }

    /// <summary>Moves to the next live entry; it is built only when <see cref="_keep"/>.</summary>
    private bool Advance(out RdbStreamEntry? entry)
    {
        entry = null;
        while (!_entriesDone)
        {
            if (_node != null && _nodeItemsLeft > 0)
            {
                if (ReadNodeEntry(out entry)) return true;
                continue;
            }
            if (_node != null) CloseNode();
            if (_nodesLeft == 0)
            {
                _entriesDone = true;
                break;
            }
            _nodesLeft--;
            OpenNode();
        }
        return false;
    }

    private void OpenNode()
    {
        long at = _input.Offset;
        byte[] key = _input.ReadString("stream node key (master ID)");
        if (key.Length != StreamId.EncodedLength) throw new RdbFormatException(at, $"stream node key is {key.Length} bytes, not the 16 of a stream ID");
        _master = StreamId.ReadBigEndian(key);
        // Redis saves nodes in radix-tree order; entries are handed out in order, so the file must be in order.
        if (_previousMaster is StreamId previous && _master <= previous)
            throw new RdbFormatException(at, $"stream node {_master} does not follow node {previous}");
        _previousMaster = _master;
        _nodeStart = _input.Offset;
        byte[] blob = _input.ReadString("stream listpack");
        long end = _input.Offset;
        long blobOffset = end - _nodeStart > blob.Length ? end - blob.Length : _nodeStart;
        _node = new ListpackReader(blob, blobOffset);
        _nodeBytes = blob.Length;
        if (_node.AtEnd) throw new RdbFormatException(_nodeStart, "empty listpack inside stream");
        _nodeLive = NodeCount("master entry count");
        _nodeDeleted = NodeCount("master entry deleted count");
        long fields = NodeCount("master entry field count");
        if (fields > blob.Length) throw new RdbFormatException(_node.Offset, $"stream master entry claims {fields} fields");
        _masterFieldCount = fields;
        _masterFields = _keep ? new byte[fields][] : [];
        for (long i = 0; i < fields; i++)
        {
            if (_keep) _masterFields[i] = _node.NextBytes("a master entry field");
            else _node.Next("a master entry field");
        }
        long terminatorAt = _node.Offset;
        if (_node.NextInteger("master entry terminator") != 0) throw new RdbFormatException(terminatorAt, "stream master entry does not end with 0");
        _nodeItemsLeft = _nodeLive + _nodeDeleted;
        _nodeSeenLive = _nodeSeenDeleted = 0;
    }

    private long NodeCount(string what)
    {
        long at = _node!.Offset;
        long n = _node.NextInteger(what);
        if (n < 0) throw new RdbFormatException(at, $"stream {what} is negative ({n})");
        return n;
    }

    /// <summary>Reads one entry of the open node; false when it carries the deleted flag.</summary>
    private bool ReadNodeEntry(out RdbStreamEntry? entry)
    {
        entry = null;
        var node = _node!;
        long at = node.Offset;
        _nodeItemsLeft--;
        long flags = node.NextInteger("stream entry flags");
        if ((flags & ~(StreamEntryFlags.Deleted | StreamEntryFlags.SameFields)) != 0)
            throw new RdbFormatException(at, $"stream entry flags {flags} has unknown bits");
        // The ID is stored as differences from the master ID, wrapping as the C code's unsigned arithmetic does.
        ulong ms = _master.Ms + (ulong)node.NextInteger("stream entry ID (ms difference)");
        ulong seq = _master.Seq + (ulong)node.NextInteger("stream entry ID (seq difference)");
        var id = new StreamId(ms, seq);
        if (_previousEntry is StreamId previous && id <= previous)
            throw new RdbFormatException(at, $"stream entry {id} does not follow entry {previous}");
        _previousEntry = id;
        bool same = (flags & StreamEntryFlags.SameFields) != 0;
        long count = same ? _masterFieldCount : node.NextInteger("stream entry field count");
        if (count < 0 || count > _nodeBytes) throw new RdbFormatException(at, $"stream entry {id} claims {count} fields");
        // Kept entries only come from nodes opened while keeping (skipping lasts to the end), so the master fields are there.
        bool build = _keep && (flags & StreamEntryFlags.Deleted) == 0;
        var pairs = build ? new KeyValuePair<byte[], byte[]>[count] : null;
        for (int i = 0; i < count; i++)
        {
            if (pairs == null)
            {
                if (!same) node.Next("a stream entry field");
                node.Next("a stream entry value");
                continue;
            }
            byte[] field = same ? _masterFields[i] : node.NextBytes("a stream entry field");
            pairs[i] = new(field, node.NextBytes("a stream entry value"));
        }
        long expected = 3 + count + (same ? 0 : count + 1);
        long lpCountAt = node.Offset;
        long lpCount = node.NextInteger("stream entry lp-count");
        if (lpCount != expected) throw new RdbFormatException(lpCountAt, $"stream entry {id} lp-count is {lpCount}, its items are {expected}");
        if ((flags & StreamEntryFlags.Deleted) != 0)
        {
            _nodeSeenDeleted++;
            return false;
        }
        _nodeSeenLive++;
        _live++;
        _firstLive ??= id;
        if (pairs != null) entry = new RdbStreamEntry(id, pairs);
        return true;
    }

    private void CloseNode()
    {
        if (!_node!.AtEnd) throw new RdbFormatException(_node.Offset, "stream listpack holds more than its master entry counts");
        if (_nodeSeenLive != _nodeLive || _nodeSeenDeleted != _nodeDeleted)
            throw new RdbFormatException(_nodeStart, $"stream node {_master} counts {_nodeLive} live and {_nodeDeleted} deleted entries but holds {_nodeSeenLive} and {_nodeSeenDeleted}");
        _node = null;
    }

    private void ReadMetadata()
    {
        long at = _input.Offset;
        long length = Count("stream length");
        var last = ReadId("stream last ID");
        if (length != _live) throw new RdbFormatException(at, $"stream length is {length} but its listpacks hold {_live} entries");
        if (_type == RdbValueType.StreamListpacks)
        {
            // Type 15 predates these fields: Redis takes the first live entry (the greatest ID when there is
            // none), no deletions, and as many entries added as there are.
            _metadata = new RdbStreamMetadata(length, last, _firstLive ?? StreamId.Max, StreamId.Min, length);
            return;
        }
        var first = ReadId("stream first ID");
        var maxDeleted = ReadId("stream max deleted entry ID");
        long added = Count("stream entries added");
        _metadata = new RdbStreamMetadata(length, last, first, maxDeleted, added);
    }

    private void ReadGroups()
    {
        ulong groupCount = _input.ReadLength("stream consumer group count");
        var groups = new List<RdbStreamGroup>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (ulong g = 0; g < groupCount; g++)
        {
            long at = _input.Offset;
            byte[] name = _input.ReadString("consumer group name");
            if (!names.Add(Encoding.Latin1.GetString(name)))
                throw new RdbFormatException(at, $"duplicate consumer group '{Encoding.UTF8.GetString(name)}'");
            var lastDelivered = ReadId("consumer group last delivered ID");
            // entries_read is a signed counter saved as an unsigned length: -1 (unknown) arrives as 2^64-1.
            long entriesRead = _type == RdbValueType.StreamListpacks
                ? EstimateEntriesRead(lastDelivered)
                : (long)_input.ReadLength("consumer group entries read");
            groups.Add(ReadGroupBody(name, lastDelivered, entriesRead));
        }
        _groups = groups;
    }

    private RdbStreamGroup ReadGroupBody(byte[] name, StreamId lastDelivered, long entriesRead)
    {
        ulong pelSize = _input.ReadLength("consumer group PEL size");
        var ids = new List<StreamId>();
        var times = new List<long>();
        var counts = new List<ulong>();
        var index = new Dictionary<StreamId, int>();
        Span<byte> raw = stackalloc byte[StreamId.EncodedLength];
        for (ulong p = 0; p < pelSize; p++)
        {
            long at = _input.Offset;
            _input.ReadExactly(raw, "PEL entry ID");
            var id = StreamId.ReadBigEndian(raw);
            if (!index.TryAdd(id, ids.Count)) throw new RdbFormatException(at, $"duplicate PEL entry {id} in consumer group '{Encoding.UTF8.GetString(name)}'");
            ids.Add(id);
            times.Add((long)_input.ReadUInt64LittleEndian("PEL entry delivery time"));
            counts.Add(_input.ReadLength("PEL entry delivery count"));
        }
        var owners = new byte[ids.Count][];
        ulong consumerCount = _input.ReadLength("consumer count");
        var consumers = new List<RdbStreamConsumer>();
        var consumerNames = new HashSet<string>(StringComparer.Ordinal);
        for (ulong c = 0; c < consumerCount; c++)
        {
            long at = _input.Offset;
            byte[] consumer = _input.ReadString("consumer name");
            if (!consumerNames.Add(Encoding.Latin1.GetString(consumer)))
                throw new RdbFormatException(at, $"duplicate consumer '{Encoding.UTF8.GetString(consumer)}'");
            long seen = (long)_input.ReadUInt64LittleEndian("consumer seen time");
            long active = _type == RdbValueType.StreamListpacks3 ? (long)_input.ReadUInt64LittleEndian("consumer active time") : seen;
            consumers.Add(new RdbStreamConsumer(consumer, seen, active));
            ulong owned = _input.ReadLength("consumer PEL size");
            for (ulong p = 0; p < owned; p++)
            {
                long idAt = _input.Offset;
                _input.ReadExactly(raw, "consumer PEL entry ID");
                var id = StreamId.ReadBigEndian(raw);
                if (!index.TryGetValue(id, out int i)) throw new RdbFormatException(idAt, $"consumer PEL entry {id} is not in its group's PEL");
                if (owners[i] != null) throw new RdbFormatException(idAt, $"PEL entry {id} is owned twice");
                owners[i] = consumer;
            }
        }
        var pending = new RdbStreamPendingEntry[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            // Redis's deep check (and redis-check-rdb) refuses these too: a pending entry must have an owner.
            if (owners[i] == null) throw new RdbFormatException(_input.Offset, $"PEL entry {ids[i]} of consumer group '{Encoding.UTF8.GetString(name)}' has no consumer");
            pending[i] = new RdbStreamPendingEntry(ids[i], times[i], counts[i], owners[i]);
        }
        return new RdbStreamGroup(name, lastDelivered, entriesRead, pending, consumers);
    }

    /// <summary>t_stream.c's streamEstimateDistanceFromFirstEverEntry, for type 15 files that do not store entries_read.</summary>
    private long EstimateEntriesRead(StreamId id)
    {
        var s = _metadata;
        if (s.EntriesAdded == 0) return 0;
        if (s.Length == 0 && id <= s.LastId) return s.EntriesAdded;
        if (id == s.LastId) return s.EntriesAdded;
        if (id > s.LastId) return RdbStreamGroup.UnknownEntriesRead;
        if (s.MaxDeletedEntryId == StreamId.Min || s.MaxDeletedEntryId < s.FirstId)
        {
            if (id < s.FirstId) return s.EntriesAdded - s.Length;
            if (id == s.FirstId) return s.EntriesAdded - s.Length + 1;
        }
        return RdbStreamGroup.UnknownEntriesRead;
    }

    private StreamId ReadId(string what) => new(_input.ReadLength(what + " (ms)"), _input.ReadLength(what + " (seq)"));

    private long Count(string what)
    {
        long at = _input.Offset;
        ulong n = _input.ReadLength(what);
        if (n > long.MaxValue) throw new RdbFormatException(at, $"{what} {n} out of range");
        return (long)n;
    }
}
