namespace TieredKv.Benchmarks.DbBench;

/// <summary>
/// Serves values as slices of a pre-generated pool whose 100-byte pieces are a random run repeated to fill the
/// piece, so blocks compress to about <c>compressionRatio</c> of their size (0.5 by default).
/// </summary>
public sealed class ValueGenerator
{
    private const int PieceSize = 100;
    private readonly byte[] _pool;
    private int _position;

    public ValueGenerator(int valueSize, double compressionRatio, int seed)
    {
        if (valueSize < 0) throw new ArgumentOutOfRangeException(nameof(valueSize));
        var random = new Random(seed);
        int poolSize = Math.Max(1 << 20, valueSize * 2);
        _pool = new byte[poolSize];
        int rawLength = Math.Clamp((int)(PieceSize * compressionRatio), 1, PieceSize);
        Span<byte> raw = stackalloc byte[PieceSize];
        for (int offset = 0; offset < poolSize; offset += PieceSize)
        {
            for (int i = 0; i < rawLength; i++) raw[i] = (byte)(' ' + random.Next(95));
            int pieceLength = Math.Min(PieceSize, poolSize - offset);
            for (int i = 0; i < pieceLength; i++) _pool[offset + i] = raw[i % rawLength];
        }
        ValueSize = valueSize;
    }

    public int ValueSize { get; }

    /// <summary>The next value; valid until the generator wraps around its pool (not thread-safe: one generator per thread).</summary>
    public ReadOnlySpan<byte> Next()
    {
        if (_position + ValueSize > _pool.Length) _position = 0;
        var value = _pool.AsSpan(_position, ValueSize);
        _position += ValueSize;
        return value;
    }
}
