namespace TieredKv.Types.HyperLogLog;

/// <summary>
/// A HyperLogLog in Redis's own string format, so values move between TieredKv and Redis unchanged:
/// a 16-byte header ("HYLL", encoding 0 dense / 1 sparse, 3 unused bytes, an 8-byte little-endian
/// cached cardinality whose top bit marks it stale) and then either 16384 six-bit registers packed
/// little-endian (dense) or a run-length list of ZERO, XZERO and VAL opcodes (sparse). Works on a
/// private copy of the bytes; <see cref="ToArray"/> gives the value to store.
/// </summary>
internal sealed class HyperLogLogSketch
{
    public const int Registers = 1 << IndexBits;
    public const int HeaderSize = 16;
    public const int DenseSize = HeaderSize + (Registers * BitsPerRegister + 7) / 8;
    public const int SparseMaxBytes = 3000;

    private const int IndexBits = 14;
    private const int HashBits = 64 - IndexBits;
    private const int BitsPerRegister = 6;
    private const int RegisterMax = (1 << BitsPerRegister) - 1;
    private const byte Dense = 0, Sparse = 1;
    private const int SparseValMax = 32, SparseValMaxRun = 4, SparseZeroMaxRun = 64, SparseXZeroMaxRun = 16384;
    private const ulong HashSeed = 0xadc83b19UL;

    private byte[] _data;
    private int _length;

    private HyperLogLogSketch(byte[] data, int length)
    {
        _data = data;
        _length = length;
    }

    /// <summary>An empty sparse HyperLogLog as PFADD creates it: a single XZERO over all registers, cache valid at 0.</summary>
    public static HyperLogLogSketch CreateEmpty()
    {
        var data = new byte[HeaderSize + 2];
        "HYLL"u8.CopyTo(data);
        data[4] = Sparse;
        SetXZero(data, HeaderSize, Registers);
        return new HyperLogLogSketch(data, data.Length);
    }

    /// <summary>A working copy of a stored value that <see cref="IsValid"/> accepted.</summary>
    public static HyperLogLogSketch From(byte[] value) => new((byte[])value.Clone(), value.Length);

    /// <summary>Redis's isHLLObjectOrReply: a header, the magic, a known encoding and, when dense, the exact size.</summary>
    public static bool IsValid(byte[] value) =>
        value.Length >= HeaderSize && value.AsSpan(0, 4).SequenceEqual("HYLL"u8) && value[4] <= Sparse
        && (value[4] != Dense || value.Length == DenseSize);

    public bool IsDense => _data[4] == Dense;

    public byte[] ToArray() => _length == _data.Length ? _data : _data.AsSpan(0, _length).ToArray();

    /// <summary>Whether the cached cardinality in the header is current.</summary>
    public bool CacheValid => (_data[15] & 0x80) == 0;

    public ulong CachedCardinality => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data.AsSpan(8));

    public void InvalidateCache() => _data[15] |= 0x80;

    public void SetCachedCardinality(ulong value) => System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_data.AsSpan(8), value);

    /// <summary>Adds an element: 1 when a register grew, 0 when none did, -1 for a corrupted sparse value.</summary>
    public int Add(ReadOnlySpan<byte> element)
    {
        var (index, count) = IndexAndRank(element);
        return Raise(index, count);
    }

    /// <summary>Raises one register as adding an element of that rank would (1, 0 or -1 as <see cref="Add"/>); for tests of ranks no short element reaches.</summary>
    internal int Raise(int index, int count) => IsDense ? (SetDense(index, count) ? 1 : 0) : SetSparse(index, count);

    /// <summary>One register's value, whatever the encoding (0 for a corrupted sparse value's uncovered registers).</summary>
    internal int Register(int index)
    {
        if (IsDense) return GetDense(index);
        var max = new byte[Registers];
        MergeInto(max);
        return max[index];
    }

    /// <summary>The register an element lands in and its rank: 1 + the trailing zeros of the other 50 hash bits (51 at most).</summary>
    public static (int Index, int Count) IndexAndRank(ReadOnlySpan<byte> element)
    {
        ulong hash = MurmurHash64A.Hash(element, HashSeed);
        int index = (int)(hash & (Registers - 1));
        hash >>= IndexBits;
        hash |= 1UL << HashBits;
        return (index, System.Numerics.BitOperations.TrailingZeroCount(hash) + 1);
    }

    /// <summary>A dense register.</summary>
    private int GetDense(int register)
    {
        int bit = register * BitsPerRegister, at = HeaderSize + (bit >> 3), shift = bit & 7;
        int low = _data[at], high = at + 1 < _length ? _data[at + 1] : 0;
        return ((low >> shift) | (high << (8 - shift))) & RegisterMax;
    }

    /// <summary>Raises a dense register to <paramref name="count"/>; false when it was already as high.</summary>
    private bool SetDense(int register, int count)
    {
        if (GetDense(register) >= count) return false;
        WriteDense(_data, _length, register, count);
        return true;
    }

    private static void WriteDense(byte[] data, int length, int register, int value)
    {
        int bit = register * BitsPerRegister, at = HeaderSize + (bit >> 3), shift = bit & 7;
        data[at] = (byte)((data[at] & ~(RegisterMax << shift)) | (value << shift));
        if (at + 1 < length)
            data[at + 1] = (byte)((data[at + 1] & ~(RegisterMax >> (8 - shift))) | (value >> (8 - shift)));
    }

    private static bool IsZero(byte op) => (op & 0xC0) == 0x00;

    private static bool IsXZero(byte op) => (op & 0xC0) == 0x40;

    private static int ZeroRun(byte op) => (op & 0x3F) + 1;

    private static int XZeroRun(byte[] d, int at) => (((d[at] & 0x3F) << 8) | d[at + 1]) + 1;

    private static int ValValue(byte op) => ((op >> 2) & 0x1F) + 1;

    private static int ValRun(byte op) => (op & 0x03) + 1;

    private static byte Val(int value, int run) => (byte)(0x80 | ((value - 1) << 2) | (run - 1));

    private static void SetXZero(byte[] d, int at, int run)
    {
        d[at] = (byte)(0x40 | ((run - 1) >> 8));
        d[at + 1] = (byte)((run - 1) & 0xFF);
    }

    /// <summary>
    /// Redis's sparse update: finds the opcode covering the register, splits it around a VAL, merges
    /// equal neighbouring VALs, and turns dense when the value needs more than 32 or the string would
    /// outgrow <see cref="SparseMaxBytes"/>.
    /// </summary>
    private int SetSparse(int index, int count)
    {
        if (count > SparseValMax) return Promote(index, count);
        int p = HeaderSize, end = _length, first = 0, span = 0, prev = -1;
        while (p < end)
        {
            int oplen = 1;
            if (IsZero(_data[p])) span = ZeroRun(_data[p]);
            else if (!IsXZero(_data[p])) span = ValRun(_data[p]);
            else
            {
                if (p + 1 >= end) return -1;
                span = XZeroRun(_data, p);
                oplen = 2;
            }
            if (index <= first + span - 1) break;
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) return -1;

        byte op = _data[p];
        bool isZero = IsZero(op), isXZero = IsXZero(op), isVal = !isZero && !isXZero;
        int next = p + (isXZero ? 2 : 1);
        int runLength = isZero ? ZeroRun(op) : isXZero ? XZeroRun(_data, p) : ValRun(op);

        if (isVal)
        {
            if (ValValue(op) >= count) return 0;
            if (runLength == 1)
            {
                _data[p] = Val(count, 1);
                MergeAdjacent(prev);
                return 1;
            }
        }
        if (isZero && runLength == 1)
        {
            _data[p] = Val(count, 1);
            MergeAdjacent(prev);
            return 1;
        }

        Span<byte> seq = stackalloc byte[5];
        int n = 0, last = first + span - 1;
        if (isVal)
        {
            int current = ValValue(op);
            if (index != first) seq[n++] = Val(current, index - first);
            seq[n++] = Val(count, 1);
            if (index != last) seq[n++] = Val(current, last - index);
        }
        else
        {
            n = WriteZeros(seq, n, index - first);
            seq[n++] = Val(count, 1);
            n = WriteZeros(seq, n, last - index);
        }
        int oldLength = isXZero ? 2 : 1, delta = n - oldLength;
        if (delta > 0 && _length + delta > SparseMaxBytes) return Promote(index, count);
        if (delta != 0)
        {
            EnsureCapacity(_length + delta);
            Array.Copy(_data, next, _data, next + delta, _length - next);
            _length += delta;
        }
        seq[..n].CopyTo(_data.AsSpan(p));
        MergeAdjacent(prev);
        return 1;
    }

    /// <summary>A run of zero registers as ZERO (up to 64) or XZERO; nothing for an empty run.</summary>
    private static int WriteZeros(Span<byte> seq, int n, int run)
    {
        if (run == 0) return n;
        if (run > SparseZeroMaxRun)
        {
            seq[n++] = (byte)(0x40 | ((run - 1) >> 8));
            seq[n++] = (byte)((run - 1) & 0xFF);
        }
        else seq[n++] = (byte)(run - 1);
        return n;
    }

    /// <summary>Merges equal adjacent VAL opcodes, scanning up to five opcodes from the one before the change, as Redis does; then marks the cache stale.</summary>
    private void MergeAdjacent(int prev)
    {
        int p = prev >= 0 ? prev : HeaderSize, scan = 5;
        while (p < _length && scan-- > 0)
        {
            if (IsXZero(_data[p])) { p += 2; continue; }
            if (IsZero(_data[p])) { p++; continue; }
            if (p + 1 < _length && !IsZero(_data[p + 1]) && !IsXZero(_data[p + 1]))
            {
                int v1 = ValValue(_data[p]), v2 = ValValue(_data[p + 1]);
                int run = ValRun(_data[p]) + ValRun(_data[p + 1]);
                if (v1 == v2 && run <= SparseValMaxRun)
                {
                    _data[p + 1] = Val(v1, run);
                    Array.Copy(_data, p + 1, _data, p, _length - p - 1);
                    _length--;
                    continue;
                }
            }
            p++;
        }
        InvalidateCache();
    }

    private void EnsureCapacity(int length)
    {
        if (length <= _data.Length) return;
        Array.Resize(ref _data, Math.Max(length, _data.Length * 2));
    }

    private int Promote(int index, int count)
    {
        if (!ToDense()) return -1;
        SetDense(index, count);
        return 1;
    }

    /// <summary>Converts a sparse value to dense, keeping the header (and its cached cardinality); false when the opcodes do not cover exactly 16384 registers.</summary>
    public bool ToDense()
    {
        if (IsDense) return true;
        var dense = new byte[DenseSize];
        _data.AsSpan(0, HeaderSize).CopyTo(dense);
        dense[4] = Dense;
        int index = 0;
        bool ok = Walk((register, value, run) =>
        {
            for (int i = 0; i < run; i++) WriteDense(dense, DenseSize, register + i, value);
        }, ref index);
        if (!ok || index != Registers) return false;
        _data = dense;
        _length = DenseSize;
        return true;
    }

    /// <summary>
    /// Walks the sparse opcodes, calling <paramref name="onValue"/> for each VAL run; stops (false) at a
    /// VAL run that would pass the last register or a truncated XZERO. <paramref name="index"/> ends at the
    /// number of registers covered.
    /// </summary>
    private bool Walk(Action<int, int, int> onValue, ref int index)
    {
        int p = HeaderSize;
        while (p < _length)
        {
            byte op = _data[p];
            if (IsZero(op)) { index += ZeroRun(op); p++; }
            else if (IsXZero(op))
            {
                if (p + 1 >= _length) return false;
                index += XZeroRun(_data, p);
                p += 2;
            }
            else
            {
                int run = ValRun(op);
                if (index + run > Registers) return false;
                onValue(index, ValValue(op), run);
                index += run;
                p++;
            }
        }
        return true;
    }

    /// <summary>
    /// PFDEBUG DECODE: the sparse opcodes as Redis prints them ("z:len" ZERO, "Z:len" XZERO, "v:value,len" VAL, space
    /// separated); null when the value is dense.
    /// </summary>
    public string? DescribeSparse()
    {
        if (IsDense) return null;
        var parts = new List<string>();
        int p = HeaderSize;
        while (p < _length)
        {
            byte op = _data[p];
            if (IsZero(op)) { parts.Add($"z:{ZeroRun(op)}"); p++; }
            else if (IsXZero(op))
            {
                if (p + 1 >= _length) break;
                parts.Add($"Z:{XZeroRun(_data, p)}");
                p += 2;
            }
            else { parts.Add($"v:{ValValue(op)},{ValRun(op)}"); p++; }
        }
        return string.Join(' ', parts);
    }

    /// <summary>Raises each of <paramref name="max"/>'s registers to this value's; false for a corrupted sparse value.</summary>
    public bool MergeInto(byte[] max)
    {
        if (IsDense)
        {
            for (int i = 0; i < Registers; i++)
            {
                int v = GetDense(i);
                if (v > max[i]) max[i] = (byte)v;
            }
            return true;
        }
        int index = 0;
        bool ok = Walk((register, value, run) =>
        {
            for (int i = register; i < register + run; i++)
                if (value > max[i]) max[i] = (byte)value;
        }, ref index);
        return ok && index == Registers;
    }

    /// <summary>Raises this value's registers to those of <paramref name="max"/> (PFMERGE's write into the destination); false when corrupted.</summary>
    public bool RaiseTo(byte[] max)
    {
        for (int i = 0; i < Registers; i++)
        {
            if (max[i] == 0) continue;
            if (IsDense) SetDense(i, max[i]);
            else if (SetSparse(i, max[i]) < 0) return false;
        }
        return true;
    }

    /// <summary>The estimated cardinality; null for a sparse value whose runs do not cover exactly 16384 registers.</summary>
    public ulong? Count()
    {
        var histogram = new int[64];
        if (IsDense)
        {
            for (int i = 0; i < Registers; i++) histogram[GetDense(i)]++;
            return CardinalityEstimator.Estimate(histogram);
        }
        int index = 0, p = HeaderSize;
        while (p < _length)
        {
            byte op = _data[p];
            if (IsZero(op)) { histogram[0] += ZeroRun(op); index += ZeroRun(op); p++; }
            else if (IsXZero(op))
            {
                if (p + 1 >= _length) return null;
                int run = XZeroRun(_data, p);
                histogram[0] += run;
                index += run;
                p += 2;
            }
            else { histogram[ValValue(op)] += ValRun(op); index += ValRun(op); p++; }
        }
        if (index != Registers) return null;
        return CardinalityEstimator.Estimate(histogram);
    }

    /// <summary>The estimated cardinality of a union given as one byte per register (PFCOUNT of several keys).</summary>
    public static ulong CountRegisters(byte[] registers)
    {
        var histogram = new int[64];
        foreach (byte r in registers) histogram[r]++;
        return CardinalityEstimator.Estimate(histogram);
    }
}
