using TieredKv.Storage.Format;

namespace TieredKv.Storage.Manifest;

/// <summary>
/// An immutable snapshot of the live tables per level and the flushed range tombstones.
/// Readers hold a reference while they use it, so its files are not deleted under them.
/// Level 0 tables may overlap and are ordered newest first; deeper levels are sorted by key and disjoint.
/// </summary>
public sealed class Version
{
    private readonly VersionSet _owner;
    private int _refs;

    internal Version(VersionSet owner, IReadOnlyList<FileMetaData>[] levels, IReadOnlyList<RangeTombstone> rangeTombstones)
    {
        _owner = owner;
        Levels = levels;
        RangeTombstones = rangeTombstones;
    }

    public IReadOnlyList<FileMetaData>[] Levels { get; }
    public IReadOnlyList<RangeTombstone> RangeTombstones { get; }
    public int NumLevels => Levels.Length;

    /// <summary>The level most in need of compaction and its score (≥ 1 means it is needed); set by the version set.</summary>
    internal int CompactionLevel { get; set; } = -1;
    internal double CompactionScore { get; set; }

    internal void Ref() => Interlocked.Increment(ref _refs);

    /// <summary>Takes a reference unless the version was already released for good (then the caller re-reads the current one).</summary>
    internal bool TryRef()
    {
        int refs = Volatile.Read(ref _refs);
        while (refs > 0)
        {
            int seen = Interlocked.CompareExchange(ref _refs, refs + 1, refs);
            if (seen == refs) return true;
            refs = seen;
        }
        return false;
    }

    internal void Unref()
    {
        int refs = Interlocked.Decrement(ref _refs);
        if (refs == 0) _owner.OnVersionReleased(this);
        else if (refs < 0) throw new InvalidOperationException("version released more often than referenced");
    }

    public long LevelBytes(int level)
    {
        long total = 0;
        foreach (var f in Levels[level]) total += f.Size;
        return total;
    }

    /// <summary>Tables that may hold <paramref name="userKey"/>, in the order to search them (newest data first).</summary>
    /// <remarks>A struct enumerator over a span: a point lookup walks the levels without allocating.</remarks>
    public FileSearch FilesForKey(ReadOnlySpan<byte> userKey) => new(Levels, userKey);

    /// <summary>The tables that may hold one user key: level 0 newest first, then at most one file per deeper level.</summary>
    public ref struct FileSearch
    {
        private readonly IReadOnlyList<FileMetaData>[] _levels;
        private readonly ReadOnlySpan<byte> _userKey;
        private int _level;
        private int _index; // next level-0 file to test
        private FileMetaData? _current;

        internal FileSearch(IReadOnlyList<FileMetaData>[] levels, ReadOnlySpan<byte> userKey)
        {
            _levels = levels;
            _userKey = userKey;
            _level = 0;
            _index = 0;
            _current = null;
        }

        public readonly FileSearch GetEnumerator() => this;

        public readonly FileMetaData Current => _current!;

        public bool MoveNext()
        {
            if (_level == 0)
            {
                var l0 = _levels[0];
                while (_index < l0.Count)
                {
                    var f = l0[_index++];
                    if (f.SmallestUserKey.SequenceCompareTo(_userKey) <= 0 && f.LargestUserKey.SequenceCompareTo(_userKey) >= 0)
                    {
                        _current = f;
                        return true;
                    }
                }
                _level = 1;
            }
            while (_level < _levels.Length)
            {
                var files = _levels[_level++];
                int index = FindFile(files, _userKey);
                if (index < files.Count && files[index].SmallestUserKey.SequenceCompareTo(_userKey) <= 0)
                {
                    _current = files[index];
                    return true;
                }
            }
            _current = null;
            return false;
        }
    }

    /// <summary>In a sorted, disjoint level: the index of the first file whose largest user key is ≥ <paramref name="userKey"/>.</summary>
    public static int FindFile(IReadOnlyList<FileMetaData> files, ReadOnlySpan<byte> userKey)
    {
        int lo = 0, hi = files.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (files[mid].LargestUserKey.SequenceCompareTo(userKey) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Files of <paramref name="level"/> whose user-key range meets [begin, end] (null = unbounded).</summary>
    public List<FileMetaData> OverlappingFiles(int level, byte[]? begin, byte[]? end)
    {
        var result = new List<FileMetaData>();
        foreach (var f in Levels[level])
            if (f.OverlapsUserRange(begin, end, begin == null, end == null))
                result.Add(f);
        return result;
    }

    /// <summary>True when some table at a level deeper than <paramref name="level"/> may hold <paramref name="userKey"/>.</summary>
    public bool KeyMayExistBelow(int level, ReadOnlySpan<byte> userKey)
    {
        for (int l = level + 1; l < Levels.Length; l++)
        {
            var files = Levels[l];
            int index = FindFile(files, userKey);
            if (index < files.Count && files[index].SmallestUserKey.SequenceCompareTo(userKey) <= 0) return true;
        }
        return false;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        for (int i = 0; i < Levels.Length; i++)
            if (Levels[i].Count > 0) parts.Add($"L{i}: {string.Join(", ", Levels[i])}");
        return string.Join("\n", parts);
    }
}
