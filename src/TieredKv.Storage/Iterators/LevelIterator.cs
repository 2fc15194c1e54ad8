using TieredKv.Storage.Format;
using TieredKv.Storage.Manifest;
using TieredKv.Storage.Table;

namespace TieredKv.Storage.Iterators;

/// <summary>Iterates one sorted, disjoint level (L1 and deeper) as a single sequence, opening tables only as it reaches them.</summary>
internal sealed class LevelIterator(IReadOnlyList<FileMetaData> files, TableCache tableCache, bool fillCache) : IInternalIterator
{
    private int _index = -1;
    private IInternalIterator? _table;

    public bool Valid => _table is { Valid: true };
    public ReadOnlySpan<byte> Key => _table!.Key;
    public ReadOnlySpan<byte> Value => _table!.Value;

    public void SeekToFirst()
    {
        Open(0);
        _table?.SeekToFirst();
        SkipEmptyForward();
    }

    public void SeekToLast()
    {
        Open(files.Count - 1);
        _table?.SeekToLast();
        SkipEmptyBackward();
    }

    public void Seek(ReadOnlySpan<byte> target)
    {
        Open(Manifest.Version.FindFile(files, InternalKey.UserKey(target)));
        _table?.Seek(target);
        SkipEmptyForward();
    }

    public void Next()
    {
        _table!.Next();
        SkipEmptyForward();
    }

    public void Prev()
    {
        _table!.Prev();
        SkipEmptyBackward();
    }

    private void SkipEmptyForward()
    {
        while (_table != null && !_table.Valid)
        {
            if (_index + 1 >= files.Count) { Open(-1); return; }
            Open(_index + 1);
            _table!.SeekToFirst();
        }
    }

    private void SkipEmptyBackward()
    {
        while (_table != null && !_table.Valid)
        {
            if (_index <= 0) { Open(-1); return; }
            Open(_index - 1);
            _table!.SeekToLast();
        }
    }

    private void Open(int index)
    {
        if (index == _index && _table != null) return;
        _table?.Dispose();
        _table = null;
        _index = index;
        if (index >= 0 && index < files.Count)
            _table = tableCache.NewIterator(files[index].Number, fillCache);
    }

    public void Dispose()
    {
        _table?.Dispose();
        _table = null;
    }
}
