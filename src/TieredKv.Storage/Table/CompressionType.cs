namespace TieredKv.Storage.Table;

/// <summary>Block compression in SSTables.</summary>
public enum CompressionType : byte
{
    None = 0,
    Lz4 = 1,
}
