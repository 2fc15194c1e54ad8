namespace TieredKv.Storage.Compaction;

/// <summary>What a compaction filter wants done with an entry.</summary>
public enum CompactionDecision
{
    Keep,

    /// <summary>Drop the value: it becomes a deletion, so older versions below cannot reappear.</summary>
    Remove,
}

/// <summary>Facts about the compaction a filter is called from.</summary>
/// <param name="OldestReadSequence">
/// No reader will ask for data older than this. A filter that looks up other keys to decide (the
/// keyspace checks a sub-key against its metadata) reads them at this sequence
/// (<see cref="ReadOptions.Sequence"/>), so it never drops what a snapshot can still see. It is never later
/// than the last fsynced write either: compaction output is durable, so it may not act on a write (a deletion)
/// that a power cut could still take back.
/// </param>
public readonly record struct CompactionFilterContext(int OutputLevel, bool IsBottommostLevel, ulong OldestReadSequence);

/// <summary>
/// Lets the layer above drop entries during compaction (the keyspace drops expired keys and
/// sub-keys of deleted collections this way). Called only for the newest version of a key that no
/// snapshot still needs, from a background thread: it must be thread-safe and must not write to the database.
/// </summary>
public interface ICompactionFilter
{
    CompactionDecision Filter(in CompactionFilterContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
}
