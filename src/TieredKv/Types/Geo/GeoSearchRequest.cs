namespace TieredKv.Types.Geo;

/// <summary>A geo search (GEOSEARCH, GEORADIUS*): the area, and how many results in which order.</summary>
public sealed record GeoSearchRequest
{
    /// <summary>The area searched.</summary>
    public required GeoShape Shape { get; init; }

    /// <summary>When set, the centre is this member's position instead of the shape's centre (FROMMEMBER).</summary>
    public byte[]? FromMember { get; init; }

    /// <summary>At most this many results (COUNT); 0 for all.</summary>
    public long Count { get; init; }

    /// <summary>With <see cref="Count"/>: stop at the first <see cref="Count"/> matches found instead of the nearest (ANY).</summary>
    public bool Any { get; init; }

    /// <summary>The order; a <see cref="Count"/> without <see cref="Any"/> implies <see cref="GeoSort.Asc"/>.</summary>
    public GeoSort Sort { get; init; }

    internal GeoSort EffectiveSort => Count != 0 && Sort == GeoSort.None && !Any ? GeoSort.Asc : Sort;
}
