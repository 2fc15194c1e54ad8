namespace TieredKv.Types.SortedSets;

/// <summary>
/// What ZADD replies: without INCR, <see cref="Count"/> (members added, or added and changed with CH);
/// with INCR, the member's new <see cref="Score"/>, null when NX/XX/GT/LT refused the update.
/// </summary>
public readonly record struct ZAddResult(long Count, double? Score);
