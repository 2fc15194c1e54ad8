using TieredKv.Storage.Format;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// Builds a data or index block: prefix-compressed entries
/// <c>varint shared | varint unshared | varint valueLength | key delta | value</c>, a full key every
/// <c>restartInterval</c> entries, then the restart offsets (fixed32 LE each) and their count (fixed32 LE).
/// </summary>
internal sealed class BlockBuilder
{
    private readonly int _restartInterval;
    private readonly ByteBuffer _buffer = new(4096);
    private readonly List<int> _restarts = [];
    private readonly ByteBuffer _lastKey = new(64);
    private int _counter;
    private bool _finished;

    public BlockBuilder(int restartInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(restartInterval, 1);
        _restartInterval = restartInterval;
        Reset();
    }

    public bool IsEmpty => EntryCount == 0;

    public int EntryCount { get; private set; }

    /// <summary>The last key added (valid until the next <see cref="Add"/> or <see cref="Reset"/>).</summary>
    public ReadOnlySpan<byte> LastKey => _lastKey.Span;

    /// <summary>The size the block would have if finished now.</summary>
    public int CurrentSizeEstimate => _finished ? _buffer.Length : _buffer.Length + (_restarts.Count + 1) * sizeof(uint);

    public void Reset()
    {
        _buffer.Clear();
        _restarts.Clear();
        _restarts.Add(0);
        _lastKey.Clear();
        _counter = 0;
        EntryCount = 0;
        _finished = false;
    }

    /// <summary>Appends an entry; keys must be valid internal keys in strictly increasing order.</summary>
    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_finished) throw new InvalidOperationException("block already finished");
        if (!IsEmpty && InternalKey.Compare(key, _lastKey.Span) <= 0)
            throw new InvalidOperationException("block keys must be strictly increasing");

        int shared = 0;
        if (_counter < _restartInterval)
        {
            var last = _lastKey.Span;
            int max = Math.Min(last.Length, key.Length);
            shared = key[..max].CommonPrefixLength(last[..max]);
        }
        else
        {
            _restarts.Add(_buffer.Length);
            _counter = 0;
        }

        _buffer.AppendVarint32((uint)shared);
        _buffer.AppendVarint32((uint)(key.Length - shared));
        _buffer.AppendVarint32((uint)value.Length);
        _buffer.Append(key[shared..]);
        _buffer.Append(value);

        _lastKey.Truncate(shared);
        _lastKey.Append(key[shared..]);
        _counter++;
        EntryCount++;
    }

    /// <summary>Appends the restart array; the result stays valid until <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (!_finished)
        {
            foreach (int r in _restarts) _buffer.AppendFixed32((uint)r);
            _buffer.AppendFixed32((uint)_restarts.Count);
            _finished = true;
        }
        return _buffer.Span;
    }
}
