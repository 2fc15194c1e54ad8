using TieredKv.Storage.Format;

namespace TieredKv.Storage.Iterators;

/// <summary>
/// A user-facing cursor over the database as of one sequence number: of each user key it shows the
/// newest version visible at that sequence, and hides deleted keys, keys under a range tombstone
/// and keys outside the bounds. Moves in both directions. Dispose it: it pins the tables it reads.
/// </summary>
public sealed class DbIterator : IDisposable
{
    private enum Direction { Forward, Reverse }

    private readonly IInternalIterator _iter;
    private readonly ulong _sequence;
    private readonly IReadOnlyList<RangeTombstone> _tombstones;
    private readonly byte[]? _lower;
    private readonly byte[]? _upper;
    private readonly Action _release;
    private Direction _direction = Direction.Forward;
    private bool _valid;
    private bool _disposed;

    // In reverse mode the internal iterator sits before the current entry, so key and value are saved.
    private byte[] _savedKey = new byte[64];
    private int _savedKeyLength;
    private byte[] _savedValue = new byte[256];
    private int _savedValueLength;

    internal DbIterator(IInternalIterator iter, ulong sequence, IReadOnlyList<RangeTombstone> tombstones, byte[]? lowerBound, byte[]? upperBound, Action release)
    {
        _iter = iter;
        _sequence = sequence;
        _tombstones = tombstones;
        _lower = lowerBound;
        _upper = upperBound;
        _release = release;
    }

    public bool Valid => _valid;

    public ReadOnlySpan<byte> Key
    {
        get
        {
            CheckValid();
            return _direction == Direction.Forward ? InternalKey.UserKey(_iter.Key) : _savedKey.AsSpan(0, _savedKeyLength);
        }
    }

    public ReadOnlySpan<byte> Value
    {
        get
        {
            CheckValid();
            return _direction == Direction.Forward ? _iter.Value : _savedValue.AsSpan(0, _savedValueLength);
        }
    }

    public void SeekToFirst()
    {
        if (_lower != null)
        {
            Seek(_lower);
            return;
        }
        _direction = Direction.Forward;
        _iter.SeekToFirst();
        FindNextUserEntry(skipping: false);
    }

    public void SeekToLast()
    {
        _direction = Direction.Reverse;
        if (_upper != null)
        {
            _iter.Seek(InternalKey.ForSeek(_upper, InternalKey.MaxSequence));
            if (_iter.Valid) _iter.Prev();
            else _iter.SeekToLast();
        }
        else
        {
            _iter.SeekToLast();
        }
        FindPrevUserEntry();
    }

    /// <summary>Positions at the first key ≥ <paramref name="target"/>.</summary>
    public void Seek(ReadOnlySpan<byte> target)
    {
        if (_lower != null && target.SequenceCompareTo(_lower) < 0) target = _lower;
        _direction = Direction.Forward;
        _iter.Seek(InternalKey.ForSeek(target, _sequence));
        FindNextUserEntry(skipping: false);
    }

    /// <summary>Positions at the last key ≤ <paramref name="target"/>.</summary>
    public void SeekForPrev(ReadOnlySpan<byte> target)
    {
        if (_upper != null && target.SequenceCompareTo(_upper) >= 0)
        {
            SeekToLast();
            return;
        }
        _direction = Direction.Reverse;
        // (target, 0, Deletion) is the smallest internal key for target: everything at or after it is > target.
        _iter.Seek(InternalKey.Create(target, 0, EntryType.Deletion));
        if (_iter.Valid) _iter.Prev();
        else _iter.SeekToLast();
        FindPrevUserEntry();
    }

    public void Next()
    {
        CheckValid();
        if (_direction == Direction.Reverse)
        {
            // The internal iterator is before this key's entries: step into them, then skip past them.
            _direction = Direction.Forward;
            if (_iter.Valid) _iter.Next();
            else _iter.SeekToFirst();
            if (!_iter.Valid)
            {
                _valid = false;
                return;
            }
        }
        else
        {
            SaveKey(InternalKey.UserKey(_iter.Key));
            _iter.Next();
        }
        FindNextUserEntry(skipping: true);
    }

    public void Prev()
    {
        CheckValid();
        if (_direction == Direction.Forward)
        {
            // Step back past every entry of the current key, then collect the previous key's newest visible version.
            SaveKey(InternalKey.UserKey(_iter.Key));
            while (true)
            {
                _iter.Prev();
                if (!_iter.Valid)
                {
                    _valid = false;
                    return;
                }
                if (InternalKey.UserKey(_iter.Key).SequenceCompareTo(SavedKey) < 0) break;
            }
            _direction = Direction.Reverse;
        }
        FindPrevUserEntry();
    }

    private ReadOnlySpan<byte> SavedKey => _savedKey.AsSpan(0, _savedKeyLength);

    /// <summary>Forward: stops at the first visible, live entry; with <paramref name="skipping"/>, skips keys ≤ the saved key.</summary>
    private void FindNextUserEntry(bool skipping)
    {
        for (; _iter.Valid; _iter.Next())
        {
            var ikey = _iter.Key;
            ulong seq = InternalKey.Sequence(ikey);
            if (seq > _sequence) continue;
            var userKey = InternalKey.UserKey(ikey);
            if (_upper != null && userKey.SequenceCompareTo(_upper) >= 0) break;
            if (skipping && userKey.SequenceCompareTo(SavedKey) <= 0) continue;

            if (InternalKey.Type(ikey) == EntryType.Deletion || RangeTombstones.Hide(_tombstones, userKey, seq, _sequence))
            {
                // Hide every older version of this key.
                SaveKey(userKey);
                skipping = true;
                continue;
            }
            _valid = true;
            return;
        }
        _valid = false;
    }

    /// <summary>Reverse: the internal iterator is at the last entry of some key; collect the newest visible version of the nearest live key.</summary>
    private void FindPrevUserEntry()
    {
        bool found = false; // whether the saved key/value hold a live entry
        while (_iter.Valid)
        {
            var ikey = _iter.Key;
            ulong seq = InternalKey.Sequence(ikey);
            var userKey = InternalKey.UserKey(ikey);
            if (_lower != null && userKey.SequenceCompareTo(_lower) < 0) break;
            if (seq <= _sequence)
            {
                if (found && userKey.SequenceCompareTo(SavedKey) < 0) break; // a full key collected; this entry belongs to an earlier one
                bool dead = InternalKey.Type(ikey) == EntryType.Deletion || RangeTombstones.Hide(_tombstones, userKey, seq, _sequence);
                if (dead)
                {
                    found = false;
                }
                else
                {
                    SaveKey(userKey);
                    SaveValue(_iter.Value);
                    found = true;
                }
            }
            _iter.Prev();
        }
        _valid = found;
        if (!found) _direction = Direction.Forward;
    }

    private void SaveKey(ReadOnlySpan<byte> key)
    {
        if (_savedKey.Length < key.Length) _savedKey = new byte[Math.Max(key.Length, _savedKey.Length * 2)];
        key.CopyTo(_savedKey);
        _savedKeyLength = key.Length;
    }

    private void SaveValue(ReadOnlySpan<byte> value)
    {
        if (_savedValue.Length < value.Length) _savedValue = new byte[Math.Max(value.Length, _savedValue.Length * 2)];
        value.CopyTo(_savedValue);
        _savedValueLength = value.Length;
    }

    private void CheckValid()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_valid) throw new InvalidOperationException("iterator is not positioned on an entry");
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _iter.Dispose();
        _release();
    }
}
