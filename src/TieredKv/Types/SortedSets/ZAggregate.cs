namespace TieredKv.Types.SortedSets;

/// <summary>How ZUNIONSTORE/ZINTERSTORE combine the scores of a member found in several sources.</summary>
public enum ZAggregate
{
    Sum,
    Min,
    Max,
}
