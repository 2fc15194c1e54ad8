namespace TieredKv.Rdb.Streams;

/// <summary>
/// A stream value being read from an RDB file or DUMP payload. The file holds the entries first, then the
/// metadata and the consumer groups, so they are read in that order: <see cref="Entries"/> streams the live
/// entries in ID order, once; reading <see cref="Metadata"/> or <see cref="Groups"/> first passes over
/// whatever entries were not enumerated (without keeping them).
/// </summary>
public sealed class RdbStream
{
    private readonly StreamValueReader _reader;
    private bool _started;

    internal RdbStream(StreamValueReader reader, byte rdbType)
    {
        _reader = reader;
        RdbType = rdbType;
    }

    /// <summary>15 (Redis 5/6), 19 (7.0) or 21 (7.2+; consumers carry their active time).</summary>
    public byte RdbType { get; }

    /// <summary>The live entries in ID order (entries flagged deleted inside a node are left out); may be enumerated once.</summary>
    public IEnumerable<RdbStreamEntry> Entries()
    {
        if (_started) throw new InvalidOperationException("the entries of an RDB stream can be read only once");
        _started = true;
        return Enumerate();
    }

    public RdbStreamMetadata Metadata
    {
        get
        {
            Finish();
            return _reader.Metadata;
        }
    }

    /// <summary>The consumer groups in stored order (Redis stores them by name).</summary>
    public IReadOnlyList<RdbStreamGroup> Groups
    {
        get
        {
            Finish();
            return _reader.Groups;
        }
    }

    /// <summary>Reads the rest of the value, so the input stands after it.</summary>
    internal void Finish()
    {
        _started = true;
        _reader.Finish();
    }

    private IEnumerable<RdbStreamEntry> Enumerate()
    {
        while (_reader.TryReadEntry(out var entry)) yield return entry;
    }
}
