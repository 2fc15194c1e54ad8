namespace TieredKv;

/// <summary>
/// What SORT / SORT_RO asked for (Redis's sort.c): BY and GET patterns, LIMIT, order and comparison.
/// A BY pattern without <c>*</c> (conventionally "nosort") means no sorting: the key's own order.
/// </summary>
public sealed record SortSpec
{
    /// <summary>The BY pattern, or null to sort by the elements themselves.</summary>
    public byte[]? By { get; init; }

    /// <summary>The GET patterns in order (<c>#</c> is the element itself); empty to return the elements.</summary>
    public IReadOnlyList<byte[]> Get { get; init; } = [];

    /// <summary>LIMIT's offset; negative counts as 0.</summary>
    public long Offset { get; init; }

    /// <summary>LIMIT's count; negative means all.</summary>
    public long Count { get; init; } = -1;

    public bool Descending { get; init; }

    /// <summary>ALPHA: compare as byte strings instead of as doubles.</summary>
    public bool Alpha { get; init; }

    /// <summary>No sorting: some BY pattern had no <c>*</c> (Redis keeps this even if a later BY has one).</summary>
    public bool NoSort { get; init; }
}
