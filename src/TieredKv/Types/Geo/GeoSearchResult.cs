namespace TieredKv.Types.Geo;

/// <summary>
/// One member a geo search found: its <see cref="Distance"/> from the centre in the shape's unit,
/// its stored <see cref="Score"/> (the 52-bit geohash for members GEOADD wrote) and its position.
/// </summary>
public readonly record struct GeoSearchResult(byte[] Member, double Distance, double Score, GeoPosition Position);
