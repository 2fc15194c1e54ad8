namespace TieredKv.Benchmarks.DbBench;

/// <summary>Formats key indexes as fixed-width, zero-padded decimal keys (16 bytes by default), so byte order equals numeric order.</summary>
public sealed class KeyGenerator
{
    public KeyGenerator(int keySize)
    {
        if (keySize < 1) throw new ArgumentOutOfRangeException(nameof(keySize));
        KeySize = keySize;
    }

    public int KeySize { get; }

    /// <summary>Writes the key for <paramref name="index"/> into <paramref name="destination"/> (exactly <see cref="KeySize"/> bytes).</summary>
    public void Write(long index, Span<byte> destination)
    {
        var key = destination[..KeySize];
        ulong n = (ulong)index;
        for (int i = key.Length - 1; i >= 0; i--)
        {
            key[i] = (byte)('0' + (int)(n % 10));
            n /= 10;
        }
    }

    public byte[] Make(long index)
    {
        var key = new byte[KeySize];
        Write(index, key);
        return key;
    }
}
