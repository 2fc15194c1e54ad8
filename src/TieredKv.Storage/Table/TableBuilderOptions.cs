namespace TieredKv.Storage.Table;

/// <summary>The settings a <see cref="TableBuilder"/> needs.</summary>
public sealed record TableBuilderOptions(
    int BlockSize = 8 * 1024,
    int RestartInterval = 16,
    CompressionType Compression = CompressionType.Lz4,
    int BloomBitsPerKey = 10);
