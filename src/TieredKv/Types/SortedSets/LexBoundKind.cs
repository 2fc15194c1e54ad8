namespace TieredKv.Types.SortedSets;

/// <summary>The kinds of <see cref="LexBound"/>.</summary>
public enum LexBoundKind
{
    NegativeInfinity,
    PositiveInfinity,
    Inclusive,
    Exclusive,
}
