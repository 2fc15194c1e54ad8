namespace TieredKv.Rdb.Streams;

/// <summary>
/// A stream's counters as XINFO STREAM shows them: <see cref="Length"/> live entries; <see cref="LastId"/>, the
/// greatest ID ever added (it survives XDEL and XTRIM, and XSETID may raise it); <see cref="FirstId"/>, the
/// first live entry (0-0 when empty); <see cref="MaxDeletedEntryId"/>, the greatest ID removed by XDEL or
/// XTRIM; <see cref="EntriesAdded"/>, every entry ever added.
/// </summary>
public readonly record struct RdbStreamMetadata(long Length, StreamId LastId, StreamId FirstId, StreamId MaxDeletedEntryId, long EntriesAdded);
