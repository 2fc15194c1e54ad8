namespace TieredKv.Types.Bitmaps;

/// <summary>What a BITFIELD SET or INCRBY does when the value leaves its field: wrap around, saturate, or fail (reply null, write nothing).</summary>
public enum BitFieldOverflow
{
    Wrap,
    Sat,
    Fail,
}
