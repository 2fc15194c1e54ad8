using System.IO.Hashing;
using TieredKv.Storage.Format;

namespace TieredKv.Storage.Table;

/// <summary>
/// A whole-table bloom filter over user keys. Layout: <c>bitCount / 8</c> bytes of bits (bit <c>b</c> is
/// <c>bytes[b / 8] &amp; (1 &lt;&lt; (b % 8))</c>) followed by one byte holding the probe count k.
/// Probes use double hashing: with <c>h = XxHash3(userKey)</c>, <c>h1 = (uint)h</c>, <c>h2 = (uint)(h &gt;&gt; 32)</c>,
/// probe i (0 ≤ i &lt; k) sets bit <c>(h1 + i * h2) mod bitCount</c>, computed in 64-bit arithmetic (no wrap).
/// </summary>
internal sealed class BloomFilter
{
    public const int MinBits = 64;
    public const int MaxProbes = 30;

    private readonly byte[] _data;
    private readonly ulong _bitCount;
    private readonly int _probes;

    private BloomFilter(byte[] data, int probes)
    {
        _data = data;
        _bitCount = (ulong)(data.Length - 1) * 8;
        _probes = probes;
    }

    /// <summary>Parses filter bytes; returns null when they are malformed.</summary>
    public static BloomFilter? TryParse(byte[] data)
    {
        if (data.Length < 2) return null;
        int k = data[^1];
        if (k < 1 || k > MaxProbes) return null;
        return new BloomFilter(data, k);
    }

    /// <summary>The number of probes for <paramref name="bitsPerKey"/>: round(bitsPerKey · ln 2) clamped to [1, 30].</summary>
    public static int ProbeCount(int bitsPerKey) => Math.Clamp((int)Math.Round(bitsPerKey * 0.69314718056), 1, MaxProbes);

    public static ulong Hash(ReadOnlySpan<byte> userKey) => XxHash3.HashToUInt64(userKey);

    /// <summary>False only if <paramref name="userKey"/> was certainly not added.</summary>
    public bool KeyMayMatch(ReadOnlySpan<byte> userKey)
    {
        ulong h = Hash(userKey);
        ulong h1 = (uint)h, h2 = h >> 32;
        for (int i = 0; i < _probes; i++)
        {
            ulong bit = (h1 + (ulong)i * h2) % _bitCount;
            if ((_data[bit >> 3] & (1 << (int)(bit & 7))) == 0) return false;
        }
        return true;
    }

    /// <summary>True if the internal key's user key may be in the set.</summary>
    public bool InternalKeyMayMatch(ReadOnlySpan<byte> internalKey) => KeyMayMatch(InternalKey.UserKey(internalKey));
}

/// <summary>Collects user-key hashes and produces <see cref="BloomFilter"/> bytes.</summary>
internal sealed class BloomFilterBuilder
{
    private readonly int _bitsPerKey;
    private readonly List<ulong> _hashes = [];

    public BloomFilterBuilder(int bitsPerKey)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitsPerKey, 1);
        _bitsPerKey = bitsPerKey;
    }

    public int KeyCount => _hashes.Count;

    public void AddKey(ReadOnlySpan<byte> userKey) => _hashes.Add(BloomFilter.Hash(userKey));

    public byte[] Finish()
    {
        long bits = Math.Max(BloomFilter.MinBits, (long)_hashes.Count * _bitsPerKey);
        long bytes = (bits + 7) / 8;
        bits = bytes * 8;
        int k = BloomFilter.ProbeCount(_bitsPerKey);
        var data = new byte[checked((int)bytes + 1)];
        data[^1] = (byte)k;
        ulong bitCount = (ulong)bits;
        foreach (ulong h in _hashes)
        {
            ulong h1 = (uint)h, h2 = h >> 32;
            for (int i = 0; i < k; i++)
            {
                ulong bit = (h1 + (ulong)i * h2) % bitCount;
                data[bit >> 3] |= (byte)(1 << (int)(bit & 7));
            }
        }
        _hashes.Clear();
        return data;
    }
}
