using TieredKv.Storage.Util;

namespace TieredKv.Storage.Format;

/// <summary>
/// A group of puts and deletes applied atomically: all of them or none survive a crash.
/// Operations get consecutive sequence numbers in the order they were added, so a later
/// operation on the same key wins.
/// </summary>
/// <remarks>
/// The representation is the WAL payload itself (format-spec/wal.md): <c>count u32</c> followed by
/// operations <c>type u8 | varint keyLength | key [| varint valueLength | value]</c>.
/// </remarks>
public sealed class WriteBatch
{
    private const int HeaderSize = 4;
    private readonly ByteBuffer _rep = new();
    private int _count;

    public WriteBatch() => _rep.Reserve(HeaderSize).Clear();

    /// <summary>Number of operations.</summary>
    public int Count => _count;

    /// <summary>Encoded size in bytes: what the batch adds to the WAL.</summary>
    public int ByteSize => _rep.Length;

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        _rep.AppendByte((byte)EntryType.Value);
        _rep.AppendLengthPrefixed(key);
        _rep.AppendLengthPrefixed(value);
        SetCount(_count + 1);
    }

    /// <summary>
    /// Adds a put whose <paramref name="valueLength"/>-byte value the caller writes into the returned
    /// span (valid until the next change to the batch): encodes a value in place instead of in an array.
    /// </summary>
    public Span<byte> PutInPlace(ReadOnlySpan<byte> key, int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueLength);
        _rep.AppendByte((byte)EntryType.Value);
        _rep.AppendLengthPrefixed(key);
        _rep.AppendVarint32((uint)valueLength);
        var value = _rep.Reserve(valueLength);
        SetCount(_count + 1);
        return value;
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        _rep.AppendByte((byte)EntryType.Deletion);
        _rep.AppendLengthPrefixed(key);
        SetCount(_count + 1);
    }

    /// <summary>Deletes every key in [<paramref name="begin"/>, <paramref name="end"/>) that exists when the batch is applied.</summary>
    public void DeleteRange(ReadOnlySpan<byte> begin, ReadOnlySpan<byte> end)
    {
        if (begin.SequenceCompareTo(end) >= 0)
            throw new ArgumentException("DeleteRange needs begin < end");
        _rep.AppendByte((byte)EntryType.RangeDeletion);
        _rep.AppendLengthPrefixed(begin);
        _rep.AppendLengthPrefixed(end);
        SetCount(_count + 1);
    }

    /// <summary>Appends every operation of <paramref name="other"/>.</summary>
    public void Append(WriteBatch other)
    {
        _rep.Append(other._rep.Span[HeaderSize..]);
        SetCount(_count + other._count);
    }

    public void Clear()
    {
        _rep.Clear();
        _rep.Reserve(HeaderSize).Clear();
        _count = 0;
    }

    /// <summary>The encoded batch (count and operations).</summary>
    internal ReadOnlySpan<byte> Representation => _rep.Span;

    /// <summary>Rebuilds a batch from its representation, validating every operation.</summary>
    /// <exception cref="FormatException">The bytes are not a well-formed batch.</exception>
    internal static WriteBatch FromRepresentation(ReadOnlySpan<byte> rep)
    {
        var batch = new WriteBatch();
        int count = 0;
        var reader = new Reader(rep);
        while (reader.MoveNext()) count++;
        if (count != reader.DeclaredCount)
            throw new FormatException($"write batch declares {reader.DeclaredCount} operations but holds {count}");
        batch._rep.Clear();
        batch._rep.Append(rep);
        batch._count = count;
        return batch;
    }

    /// <summary>A reader over the batch's operations in the order they were added.</summary>
    public Reader GetReader() => new(_rep.Span);

    private void SetCount(int count)
    {
        _count = count;
        Coding.WriteFixed32(_rep.RawArray, (uint)count);
    }

    /// <summary>Walks the operations of an encoded batch without allocating.</summary>
    public ref struct Reader
    {
        private ReadOnlySpan<byte> _rest;

        public Reader(ReadOnlySpan<byte> rep)
        {
            if (rep.Length < HeaderSize) throw new FormatException("write batch shorter than its header");
            DeclaredCount = (int)Coding.ReadFixed32(rep);
            if (DeclaredCount < 0) throw new FormatException("write batch count out of range");
            _rest = rep[HeaderSize..];
        }

        public int DeclaredCount { get; }
        public EntryType Type { get; private set; }
        public ReadOnlySpan<byte> Key { get; private set; }

        /// <summary>The value of a put, or the exclusive end of a range deletion.</summary>
        public ReadOnlySpan<byte> Value { get; private set; }

        public bool MoveNext()
        {
            if (_rest.IsEmpty) return false;
            Type = (EntryType)_rest[0];
            _rest = _rest[1..];
            Key = TakeLengthPrefixed();
            Value = Type switch
            {
                EntryType.Deletion => default,
                EntryType.Value or EntryType.RangeDeletion => TakeLengthPrefixed(),
                _ => throw new FormatException($"unknown write batch operation type {(byte)Type}"),
            };
            return true;
        }

        private ReadOnlySpan<byte> TakeLengthPrefixed()
        {
            int n = Coding.ReadVarint32(_rest, out uint length);
            if (n == 0 || length > (uint)(_rest.Length - n)) throw new FormatException("write batch operation cut short");
            var slice = _rest.Slice(n, (int)length);
            _rest = _rest[(n + (int)length)..];
            return slice;
        }
    }
}
