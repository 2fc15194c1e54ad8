using TieredKv.Storage.Format;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Table;

/// <summary>
/// The decoding state of a block iterator as a mutable struct, so that point lookups can walk blocks
/// without allocating. The current key is rebuilt in a caller-provided buffer (grown when needed).
/// </summary>
internal struct BlockCursor
{
    private Block? _block;
    private byte[] _key;
    private int _keyLength;
    private int _current;      // offset of the current entry; == RestartsOffset when invalid
    private int _next;         // offset just past the current entry
    private int _restartIndex; // restart block holding the current entry
    private int _valueOffset;
    private int _valueLength;

    public BlockCursor(Block? block, byte[] keyBuffer)
    {
        _key = keyBuffer;
        _block = null;
        SetBlock(block);
    }

    public readonly Block? Block => _block;

    public readonly bool Valid => _block != null && _current < _block.RestartsOffset;

    public readonly ReadOnlySpan<byte> Key => Valid ? _key.AsSpan(0, _keyLength) : throw new InvalidOperationException("iterator not valid");

    public readonly ReadOnlySpan<byte> Value => Valid ? _block!.Data.AsSpan(_valueOffset, _valueLength) : throw new InvalidOperationException("iterator not valid");

    public void SetBlock(Block? block)
    {
        _block = block;
        Invalidate();
    }

    public void SeekToFirst()
    {
        if (_block == null) return;
        SeekToRestart(0);
        ParseNext();
    }

    public void SeekToLast()
    {
        if (_block == null) return;
        SeekToRestart(_block.RestartCount - 1);
        while (ParseNext() && _next < _block.RestartsOffset) { }
    }

    public void Next()
    {
        if (!Valid) throw new InvalidOperationException("iterator not valid");
        ParseNext();
    }

    public void Prev()
    {
        if (!Valid) throw new InvalidOperationException("iterator not valid");
        var block = _block!;
        int original = _current;
        while (block.RestartPoint(_restartIndex) >= original)
        {
            if (_restartIndex == 0)
            {
                Invalidate();
                return;
            }
            _restartIndex--;
        }
        SeekToRestart(_restartIndex);
        // Walk forward to the entry just before the original one.
        while (ParseNext() && _next < original) { }
        if (Valid && _next != original) throw block.Corrupt($"entries do not chain at offset {original}");
    }

    /// <summary>Positions at the first entry whose key is ≥ <paramref name="target"/> (internal key order).</summary>
    public void Seek(ReadOnlySpan<byte> target)
    {
        if (_block == null) return;
        var block = _block;
        if (block.IsEmpty)
        {
            Invalidate();
            return;
        }
        // Binary search for the last restart whose key is < target. A restart entry shares no prefix, so its
        // key is compared where it lies in the block instead of being copied into the key buffer.
        int left = 0, right = block.RestartCount - 1;
        while (left < right)
        {
            int mid = (left + right + 1) >>> 1;
            if (InternalKey.Compare(RestartKey(block, mid), target) < 0) left = mid;
            else right = mid - 1;
        }
        SeekToRestart(left);
        while (ParseNext())
        {
            if (InternalKey.Compare(Key, target) >= 0) return;
        }
    }

    /// <summary>The key of the entry at restart <paramref name="index"/>, validated as <see cref="ParseNext"/> would.</summary>
    private static ReadOnlySpan<byte> RestartKey(Block block, int index)
    {
        int limit = block.RestartsOffset;
        int offset = block.RestartPoint(index);
        var data = block.Data.AsSpan(0, limit);
        int p = DecodeHeader(block, data, offset, out uint shared, out uint unshared, out uint valueLength);
        if (shared != 0) throw block.Corrupt($"restart entry at {offset} shares a prefix");
        if ((ulong)unshared + valueLength > (ulong)(limit - p)) throw block.Corrupt($"entry overruns block at {offset}");
        if (unshared < InternalKey.TrailerSize) throw block.Corrupt($"key shorter than a trailer at {offset}");
        return data.Slice(p, (int)unshared);
    }

    /// <summary>Decodes the three lengths of the entry at <paramref name="p"/>; returns where its key bytes start.</summary>
    private static int DecodeHeader(Block block, ReadOnlySpan<byte> data, int p, out uint shared, out uint unshared, out uint valueLength)
    {
        // Fast path: all three lengths fit in one byte each, as they do for all but huge keys or values.
        if (p + 3 <= data.Length)
        {
            shared = data[p];
            unshared = data[p + 1];
            valueLength = data[p + 2];
            if ((shared | unshared | valueLength) < 128) return p + 3;
        }
        int start = p;
        int n;
        if ((n = Coding.ReadVarint32(data[p..], out shared)) == 0) throw block.Corrupt($"bad shared length at {start}");
        p += n;
        if ((n = Coding.ReadVarint32(data[p..], out unshared)) == 0) throw block.Corrupt($"bad key length at {p}");
        p += n;
        if ((n = Coding.ReadVarint32(data[p..], out valueLength)) == 0) throw block.Corrupt($"bad value length at {p}");
        return p + n;
    }

    private void Invalidate()
    {
        if (_block == null) return;
        _current = _block.RestartsOffset;
        _next = _current;
        _restartIndex = _block.RestartCount;
        _keyLength = 0;
    }

    private void SeekToRestart(int index)
    {
        _keyLength = 0;
        _restartIndex = index;
        _next = _block!.RestartPoint(index);
        _current = _next;
    }

    /// <summary>Decodes the entry at <c>_next</c>; returns false (and invalidates) at the end of the entries.</summary>
    private bool ParseNext()
    {
        var block = _block!;
        int limit = block.RestartsOffset;
        _current = _next;
        if (_current >= limit)
        {
            Invalidate();
            return false;
        }

        var data = block.Data.AsSpan(0, limit);
        int p = DecodeHeader(block, data, _current, out uint shared, out uint unshared, out uint valueLength);
        if (shared > (uint)_keyLength) throw block.Corrupt($"shared prefix {shared} longer than previous key at {_current}");
        if ((ulong)unshared + valueLength > (ulong)(limit - p)) throw block.Corrupt($"entry overruns block at {_current}");

        // Keep the restart index in step: entries at or past the next restart belong to it.
        while (_restartIndex + 1 < block.RestartCount && block.RestartPoint(_restartIndex + 1) <= _current)
            _restartIndex++;
        if (shared != 0 && block.RestartPoint(_restartIndex) == _current)
            throw block.Corrupt($"restart entry at {_current} shares a prefix");

        int keyLength = (int)(shared + unshared);
        if (keyLength < InternalKey.TrailerSize) throw block.Corrupt($"key shorter than a trailer at {_current}");
        if (keyLength > _key.Length)
        {
            var bigger = new byte[Math.Max(keyLength, _key.Length * 2)];
            _key.AsSpan(0, (int)shared).CopyTo(bigger);
            _key = bigger;
        }
        data.Slice(p, (int)unshared).CopyTo(_key.AsSpan((int)shared));
        _keyLength = keyLength;
        p += (int)unshared;
        _valueOffset = p;
        _valueLength = (int)valueLength;
        _next = p + (int)valueLength;
        return true;
    }
}
