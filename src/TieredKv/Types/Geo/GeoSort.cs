namespace TieredKv.Types.Geo;

/// <summary>The order of geo search results: as found, or by distance from the centre.</summary>
public enum GeoSort
{
    None,
    Asc,
    Desc,
}
