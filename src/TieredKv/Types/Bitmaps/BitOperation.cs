namespace TieredKv.Types.Bitmaps;

/// <summary>BITOP's operations.</summary>
public enum BitOperation
{
    And,
    Or,
    Xor,
    Not,
}
