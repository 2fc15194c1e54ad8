namespace TieredKv.Types.Bitmaps;

/// <summary>What the start and end of BITCOUNT and BITPOS count: bytes (the default) or bits.</summary>
public enum BitUnit
{
    Byte,
    Bit,
}
