using TieredKv.Storage;
using TieredKv.Storage.Compaction;

namespace TieredKv.Keyspace;

/// <summary>
/// Drops the elements of collections that no longer exist: a DEL or an overwrite only removes the
/// live-version marker (<c>L | db | version</c>), and compaction drops every sub-key and score
/// entry of that version. The marker is read as of the oldest sequence any reader can ask for,
/// so a snapshot never loses elements it can still see. Hash field expiries (<c>T</c>, <c>X</c>) are
/// keyed by version too and go the same way. Key-count deltas folded into their base
/// record go the same way.
/// An import (RESTORE, RDB loading) writes elements before their marker exists: its version is
/// protected here until the marker is visible at every sequence a reader can still ask for.
/// </summary>
internal sealed class KeyspaceCompactionFilter : ICompactionFilter
{
    private volatile Db? _db;

    // Elements of one collection are adjacent: remember the last answer. One per compaction thread.
    private readonly ThreadLocal<(byte[] Prefix, ulong ReadSequence, bool Live)?> _last = new();

    // (db, version) of imports → the sequence from which their marker is visible (MaxValue while importing).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(int Db, ulong Version), ulong> _imports = new();

    /// <summary>Keeps the elements of an import in progress although its live marker is not written yet.</summary>
    public void ProtectImport(int db, ulong version) => _imports[(db, version)] = ulong.MaxValue;

    /// <summary>The import's marker is written at or before <paramref name="sequence"/>: protection ends once no reader can ask for older data.</summary>
    public void ImportCompleted(int db, ulong version, ulong sequence) => _imports[(db, version)] = sequence;

    /// <summary>The import was abandoned: its elements go at compaction.</summary>
    public void ImportAbandoned(int db, ulong version) => _imports.TryRemove((db, version), out _);

    private bool IsProtectedImport(int db, ulong version, ulong oldestReadSequence)
    {
        if (_imports.IsEmpty || !_imports.TryGetValue((db, version), out ulong visibleFrom)) return false;
        if (oldestReadSequence < visibleFrom) return true;
        _imports.TryRemove(new KeyValuePair<(int, ulong), ulong>((db, version), visibleFrom)); // the marker decides from now on
        return false;
    }

    /// <summary>Set once the engine is open; until then everything is kept.</summary>
    public void Attach(Db db) => _db = db;

    /// <summary>A key-count delta already folded into its database's base record goes.</summary>
    private static CompactionDecision FilterCounterDelta(Db db, in CompactionFilterContext context, ReadOnlySpan<byte> key)
    {
        ulong id = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key[2..]);
        if (id == 0) return CompactionDecision.Keep;
        var baseRecord = db.Get(KeyCodec.Counter(key[1], 0), new ReadOptions { Sequence = context.OldestReadSequence, FillCache = false });
        return id <= KeyCounters.FoldedUpTo(baseRecord) ? CompactionDecision.Remove : CompactionDecision.Keep;
    }

    public CompactionDecision Filter(in CompactionFilterContext context, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var db = _db;
        if (db == null || key.Length < 10) return CompactionDecision.Keep;
        if (key[0] == KeyCodec.CounterTag) return FilterCounterDelta(db, context, key);
        if (Array.IndexOf(KeyCodec.VersionedTags, key[0]) < 0) return CompactionDecision.Keep;

        var prefix = key[..10]; // tag | db | version
        if (_last.Value is { } last && last.ReadSequence == context.OldestReadSequence && prefix[1..].SequenceEqual(last.Prefix))
            return last.Live ? CompactionDecision.Keep : CompactionDecision.Remove;

        ulong version = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(prefix[2..]);
        bool live = IsProtectedImport(prefix[1], version, context.OldestReadSequence) ||
                    db.Get(KeyCodec.LiveVersion(prefix[1], version), new ReadOptions { Sequence = context.OldestReadSequence, FillCache = false }) != null;
        _last.Value = (prefix[1..].ToArray(), context.OldestReadSequence, live);
        return live ? CompactionDecision.Keep : CompactionDecision.Remove;
    }
}
