using TieredKv.Storage.Format;

namespace TieredKv.Storage.Iterators;

/// <summary>
/// Merges sorted child iterators into one sorted stream, in both directions. Children are few
/// (memtables, L0 tables, one per deeper level), so a linear scan for the smallest beats a heap.
/// Where children hold equal keys the earlier child wins, so list children newest first.
/// </summary>
internal sealed class MergingIterator : IInternalIterator
{
    private readonly IInternalIterator[] _children;
    private IInternalIterator? _current;
    private bool _forward = true;

    public MergingIterator(IInternalIterator[] children) => _children = children;

    public bool Valid => _current != null;
    public ReadOnlySpan<byte> Key => _current!.Key;
    public ReadOnlySpan<byte> Value => _current!.Value;

    public void SeekToFirst()
    {
        foreach (var c in _children) c.SeekToFirst();
        _forward = true;
        FindSmallest();
    }

    public void SeekToLast()
    {
        foreach (var c in _children) c.SeekToLast();
        _forward = false;
        FindLargest();
    }

    public void Seek(ReadOnlySpan<byte> target)
    {
        foreach (var c in _children) c.Seek(target);
        _forward = true;
        FindSmallest();
    }

    public void Next()
    {
        var current = _current!;
        if (!_forward)
        {
            // Every other child is positioned before Key; move each to its first entry after Key.
            byte[] key = current.Key.ToArray();
            foreach (var c in _children)
            {
                if (ReferenceEquals(c, current)) continue;
                c.Seek(key);
                if (c.Valid && InternalKey.Compare(c.Key, key) == 0) c.Next();
            }
            _forward = true;
        }
        current.Next();
        FindSmallest();
    }

    public void Prev()
    {
        var current = _current!;
        if (_forward)
        {
            // Every other child is positioned after Key; move each to its last entry before Key.
            byte[] key = current.Key.ToArray();
            foreach (var c in _children)
            {
                if (ReferenceEquals(c, current)) continue;
                c.Seek(key);
                if (c.Valid) c.Prev();
                else c.SeekToLast();
            }
            _forward = false;
        }
        current.Prev();
        FindLargest();
    }

    private void FindSmallest()
    {
        IInternalIterator? smallest = null;
        foreach (var c in _children)
            if (c.Valid && (smallest == null || InternalKey.Compare(c.Key, smallest.Key) < 0))
                smallest = c;
        _current = smallest;
    }

    private void FindLargest()
    {
        IInternalIterator? largest = null;
        for (int i = _children.Length - 1; i >= 0; i--)
        {
            var c = _children[i];
            if (c.Valid && (largest == null || InternalKey.Compare(c.Key, largest.Key) > 0))
                largest = c;
        }
        _current = largest;
    }

    public void Dispose()
    {
        foreach (var c in _children) c.Dispose();
    }
}
