namespace TieredKv.Storage;

/// <summary>A point-in-time view of the database: reads through it see exactly the writes before it was taken. Dispose to release.</summary>
public sealed class Snapshot : IDisposable
{
    private readonly SnapshotList _owner;
    private int _released;

    internal Snapshot(SnapshotList owner, ulong sequence)
    {
        _owner = owner;
        Sequence = sequence;
    }

    /// <summary>The last sequence number visible through this snapshot.</summary>
    public ulong Sequence { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _owner.Release(Sequence);
    }
}

/// <summary>The live snapshots; compaction keeps every version some snapshot can still see.</summary>
internal sealed class SnapshotList
{
    private readonly SortedDictionary<ulong, int> _counts = [];
    private readonly Lock _lock = new();

    public Snapshot Take(ulong sequence)
    {
        lock (_lock) _counts[sequence] = _counts.GetValueOrDefault(sequence) + 1;
        return new Snapshot(this, sequence);
    }

    public void Release(ulong sequence)
    {
        lock (_lock)
        {
            if (_counts.TryGetValue(sequence, out int n) && n > 1) _counts[sequence] = n - 1;
            else _counts.Remove(sequence);
        }
    }

    public int Count
    {
        get { lock (_lock) return _counts.Count; }
    }

    /// <summary>The oldest sequence a snapshot still needs, or <paramref name="latest"/> when there are none.</summary>
    public ulong Oldest(ulong latest)
    {
        lock (_lock)
        {
            foreach (var seq in _counts.Keys) return Math.Min(seq, latest);
        }
        return latest;
    }
}
