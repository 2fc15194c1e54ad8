using TieredKv.Storage.Format;

namespace TieredKv.Storage.Table;

/// <summary>
/// A two-level iterator: an index block iterator picks the data block, a data block iterator walks it.
/// Empty data blocks are skipped in both directions.
/// </summary>
internal sealed class TableIterator : IInternalIterator
{
    private readonly TableReader _table;
    private readonly BlockIterator _index;
    private readonly BlockIterator _data = new();
    private readonly bool _fillCache;
    private bool _hasData;
    private byte[] _dataHandle = new byte[BlockHandle.MaxEncodedLength];
    private int _dataHandleLength;

    public TableIterator(TableReader table, BlockIterator index, bool fillCache)
    {
        _table = table;
        _index = index;
        _fillCache = fillCache;
    }

    public bool Valid => _hasData && _data.Valid;

    public ReadOnlySpan<byte> Key => _data.Key;
    public ReadOnlySpan<byte> Value => _data.Value;

    public void Seek(ReadOnlySpan<byte> target)
    {
        _index.Seek(target);
        InitDataBlock();
        if (_hasData) _data.Seek(target);
        SkipEmptyBlocksForward();
    }

    public void SeekToFirst()
    {
        _index.SeekToFirst();
        InitDataBlock();
        if (_hasData) _data.SeekToFirst();
        SkipEmptyBlocksForward();
    }

    public void SeekToLast()
    {
        _index.SeekToLast();
        InitDataBlock();
        if (_hasData) _data.SeekToLast();
        SkipEmptyBlocksBackward();
    }

    public void Next()
    {
        if (!Valid) throw new InvalidOperationException("iterator not valid");
        _data.Next();
        SkipEmptyBlocksForward();
    }

    public void Prev()
    {
        if (!Valid) throw new InvalidOperationException("iterator not valid");
        _data.Prev();
        SkipEmptyBlocksBackward();
    }

    public void Dispose()
    {
        _hasData = false;
        _data.SetBlock(null);
        _index.SetBlock(null);
    }

    private void SkipEmptyBlocksForward()
    {
        while (!_hasData || !_data.Valid)
        {
            if (!_index.Valid)
            {
                SetNoData();
                return;
            }
            _index.Next();
            InitDataBlock();
            if (_hasData) _data.SeekToFirst();
        }
    }

    private void SkipEmptyBlocksBackward()
    {
        while (!_hasData || !_data.Valid)
        {
            if (!_index.Valid)
            {
                SetNoData();
                return;
            }
            _index.Prev();
            InitDataBlock();
            if (_hasData) _data.SeekToLast();
        }
    }

    private void SetNoData()
    {
        _hasData = false;
        _dataHandleLength = 0;
        _data.SetBlock(null);
    }

    private void InitDataBlock()
    {
        if (!_index.Valid)
        {
            SetNoData();
            return;
        }
        var handle = _index.Value;
        if (_hasData && handle.SequenceEqual(_dataHandle.AsSpan(0, _dataHandleLength))) return; // already there
        var block = _table.GetDataBlock(handle, _fillCache);
        if (handle.Length > _dataHandle.Length) _dataHandle = new byte[handle.Length];
        handle.CopyTo(_dataHandle);
        _dataHandleLength = handle.Length;
        _data.SetBlock(block);
        _hasData = true;
    }
}
