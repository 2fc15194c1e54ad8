using System.Buffers.Binary;

namespace TieredKv.Rdb.Format;

/// <summary>
/// Walks a listpack (listpack.c) item by item: total bytes u32, count u16 (65535 = count it), entries, 0xFF.
/// Each entry is an encoding byte (7-bit uint, 6/12/32-bit string length, 13/16/24/32/64-bit integer), its
/// data, then a 1–5 byte back-length for walking backwards (skipped here). Integers are kept as integers so
/// that structures built on listpacks (stream nodes) need not go through their text.
/// </summary>
internal sealed class ListpackReader
{
    public const int HeaderSize = 6;
    public const byte End = 0xFF;

    private readonly byte[] _blob;
    private readonly long _baseOffset;
    private readonly int _declared;
    private int _p = HeaderSize;
    private int _count;

    /// <summary>Checks the header; <paramref name="baseOffset"/> places errors in the enclosing file.</summary>
    public ListpackReader(byte[] blob, long baseOffset)
    {
        if (blob.Length < HeaderSize + 1) throw new RdbFormatException(baseOffset, "listpack shorter than its header");
        uint totalBytes = BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (totalBytes != blob.Length) throw new RdbFormatException(baseOffset, $"listpack header says {totalBytes} bytes but the string holds {blob.Length}");
        _blob = blob;
        _baseOffset = baseOffset;
        _declared = BinaryPrimitives.ReadUInt16LittleEndian(blob.AsSpan(4));
    }

    /// <summary>Where the next item starts, in the enclosing file's terms.</summary>
    public long Offset => _baseOffset + _p;

    /// <summary>True at the end marker, which must be the last byte, after as many items as the header counts.</summary>
    public bool AtEnd
    {
        get
        {
            if (_p >= _blob.Length) throw new RdbFormatException(_baseOffset + _p, "listpack without its 0xFF end marker");
            if (_blob[_p] != End) return false;
            if (_p != _blob.Length - 1) throw new RdbFormatException(_baseOffset + _p, "listpack end marker before its last byte");
            if (_declared != ushort.MaxValue && _declared != _count)
                throw new RdbFormatException(_baseOffset + 4, $"listpack header counts {_declared} entries but holds {_count}");
            return true;
        }
    }

    /// <summary>The next item, with its bytes as a range of the blob when it is a string.</summary>
    public ListpackItem Next(string what)
    {
        if (AtEnd) throw new RdbFormatException(_baseOffset + _p, $"listpack ends before {what}");
        int start = _p;
        byte enc = _blob[start];
        ListpackItem item;
        int headerLength, dataLength;
        if ((enc & 0x80) == 0)
        {
            headerLength = 1; dataLength = 0;
            item = ListpackItem.OfInteger(enc & 0x7f);
        }
        else if ((enc & 0xC0) == 0x80)
        {
            headerLength = 1; dataLength = enc & 0x3f;
            item = String(start + 1, dataLength, start);
        }
        else if ((enc & 0xE0) == 0xC0)
        {
            headerLength = 2; dataLength = 0;
            Need(start, 2);
            int raw = ((enc & 0x1f) << 8) | _blob[start + 1];
            item = ListpackItem.OfInteger(raw >= 1 << 12 ? raw - (1 << 13) : raw);
        }
        else if ((enc & 0xF0) == 0xE0)
        {
            headerLength = 2;
            Need(start, 2);
            dataLength = ((enc & 0x0f) << 8) | _blob[start + 1];
            item = String(start + 2, dataLength, start);
        }
        else
        {
            headerLength = 1;
            switch (enc)
            {
                case 0xF0:
                    Need(start, 5);
                    uint len32 = BinaryPrimitives.ReadUInt32LittleEndian(_blob.AsSpan(start + 1));
                    if (len32 > int.MaxValue) throw new RdbFormatException(_baseOffset + start, "listpack string length out of range");
                    headerLength = 5; dataLength = (int)len32;
                    item = String(start + 5, dataLength, start);
                    break;
                case 0xF1:
                    dataLength = 2; Need(start, 3);
                    item = ListpackItem.OfInteger(BinaryPrimitives.ReadInt16LittleEndian(_blob.AsSpan(start + 1)));
                    break;
                case 0xF2:
                    dataLength = 3; Need(start, 4);
                    item = ListpackItem.OfInteger((_blob[start + 1] << 8 | _blob[start + 2] << 16 | _blob[start + 3] << 24) >> 8);
                    break;
                case 0xF3:
                    dataLength = 4; Need(start, 5);
                    item = ListpackItem.OfInteger(BinaryPrimitives.ReadInt32LittleEndian(_blob.AsSpan(start + 1)));
                    break;
                case 0xF4:
                    dataLength = 8; Need(start, 9);
                    item = ListpackItem.OfInteger(BinaryPrimitives.ReadInt64LittleEndian(_blob.AsSpan(start + 1)));
                    break;
                default: throw new RdbFormatException(_baseOffset + start, $"listpack entry with unknown encoding 0x{enc:x2}");
            }
        }
        long entryLength = (long)headerLength + dataLength;
        long next = start + entryLength + BackLengthSize(entryLength);
        if (next > _blob.Length - 1) throw new RdbFormatException(_baseOffset + start, "listpack entry runs past the end of the listpack");
        _p = (int)next;
        _count++;
        return item;
    }

    /// <summary>The next item as bytes; integers as their decimal text, as Redis returns them.</summary>
    public byte[] NextBytes(string what)
    {
        var item = Next(what);
        return item.IsString ? _blob.AsSpan(item.Start, item.Length).ToArray() : CompactInteger.ToBytes(item.Integer);
    }

    /// <summary>
    /// The next item as an integer: integer-encoded, or a string Redis would read as one (lpGetIntegerIfValid
    /// accepts both, since listpack.c stores integer-looking strings as integers anyway).
    /// </summary>
    public long NextInteger(string what)
    {
        long at = Offset;
        var item = Next(what);
        if (!item.IsString) return item.Integer;
        if (Listpack.TryParseInt64(_blob.AsSpan(item.Start, item.Length), out long value)) return value;
        throw new RdbFormatException(at, $"listpack {what} is not an integer");
    }

    /// <summary>The back-length holds the entry's length 7 bits per byte.</summary>
    internal static int BackLengthSize(long entryLength) =>
        entryLength <= 127 ? 1 : entryLength < 16383 ? 2 : entryLength < 2097151 ? 3 : entryLength < 268435455 ? 4 : 5;

    private ListpackItem String(int from, int length, int start)
    {
        if ((long)from + length > _blob.Length - 1) throw new RdbFormatException(_baseOffset + start, "listpack entry runs past the end of the listpack");
        return ListpackItem.OfString(from, length);
    }

    private void Need(int start, int length)
    {
        if ((long)start + length > _blob.Length - 1) throw new RdbFormatException(_baseOffset + start, "listpack entry runs past the end of the listpack");
    }
}

/// <summary>One listpack item: an integer, or a string as a range of the listpack's bytes.</summary>
internal readonly record struct ListpackItem(bool IsString, long Integer, int Start, int Length)
{
    public static ListpackItem OfInteger(long value) => new(false, value, 0, 0);

    public static ListpackItem OfString(int start, int length) => new(true, 0, start, length);
}
