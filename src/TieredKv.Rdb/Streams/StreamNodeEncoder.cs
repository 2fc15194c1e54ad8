using TieredKv.Rdb.Format;

namespace TieredKv.Rdb.Streams;

/// <summary>
/// Packs stream entries into nodes as t_stream.c's streamAppendItem does. A node is a listpack that starts with
/// a master entry (live count, deleted count 0, the first entry's field names, a 0 terminator); each entry is
/// then its flags, its ID as differences from the node's master ID, its fields unless they are exactly the
/// master's (SAMEFIELDS flag), its values, and its lp-count (how many items it took, for walking backwards).
/// An entry goes to a new node when the open one would reach <see cref="NodeMaxBytes"/> with the entry's field
/// and value bytes, or already holds <see cref="NodeMaxEntries"/> entries (Redis's defaults for
/// stream-node-max-bytes and stream-node-max-entries).
/// </summary>
internal sealed class StreamNodeEncoder
{
    public const int NodeMaxBytes = 4096;
    public const int NodeMaxEntries = 100;

    private readonly ListpackBuilder _listpack = new();
    private byte[][] _masterFields = [];
    private int _entries;

    public bool IsOpen { get; private set; }

    /// <summary>The open node's master ID: its first entry's ID, the node's key.</summary>
    public StreamId Master { get; private set; }

    /// <summary>Whether the entry may join the open node under Redis's bounds.</summary>
    public bool Fits(RdbStreamEntry entry)
    {
        if (!IsOpen) return false;
        long payload = 0;
        foreach (var (field, value) in entry.Fields) payload += field.Length + value.Length;
        if (_listpack.TotalBytes + payload >= NodeMaxBytes) return false;
        return _entries < NodeMaxEntries;
    }

    /// <summary>Opens a node with the entry as its first entry (and the source of its master fields).</summary>
    public void Start(RdbStreamEntry entry)
    {
        _listpack.Reset();
        _listpack.AppendInteger(1); // live entries: settled in Finish
        _listpack.AppendInteger(0); // deleted entries: a fresh node has none
        _listpack.AppendInteger(entry.Fields.Count);
        _masterFields = new byte[entry.Fields.Count][];
        for (int i = 0; i < _masterFields.Length; i++)
        {
            _masterFields[i] = entry.Fields[i].Key;
            _listpack.Append(_masterFields[i]);
        }
        _listpack.AppendInteger(0); // master entry terminator, read as "lp-count 0" walking backwards
        Master = entry.Id;
        IsOpen = true;
        _entries = 0;
        Append(entry);
    }

    public void Append(RdbStreamEntry entry)
    {
        if (!IsOpen) throw new InvalidOperationException("no stream node is open");
        var fields = entry.Fields;
        bool same = fields.Count == _masterFields.Length;
        for (int i = 0; same && i < fields.Count; i++) same = fields[i].Key.AsSpan().SequenceEqual(_masterFields[i]);
        _listpack.AppendInteger(same ? StreamEntryFlags.SameFields : StreamEntryFlags.None);
        _listpack.AppendInteger((long)(entry.Id.Ms - Master.Ms));
        _listpack.AppendInteger((long)(entry.Id.Seq - Master.Seq));
        if (!same) _listpack.AppendInteger(fields.Count);
        foreach (var (field, value) in fields)
        {
            if (!same) _listpack.Append(field);
            _listpack.Append(value);
        }
        _listpack.AppendInteger(3 + fields.Count + (same ? 0 : fields.Count + 1L));
        _entries++;
    }

    /// <summary>Closes the node; the listpack is valid until the next <see cref="Start"/>.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (!IsOpen) throw new InvalidOperationException("no stream node is open");
        IsOpen = false;
        // At most NodeMaxEntries (< 128) entries: the count stays a one-byte integer, so it is patched in place.
        _listpack.ReplaceFirstSmallInteger(_entries);
        return _listpack.Finish();
    }
}
