namespace TieredKv.Types.Geo;

/// <summary>The distance units of the geo commands (M, KM, FT, MI).</summary>
public enum GeoUnit
{
    Meters,
    Kilometers,
    Feet,
    Miles,
}

/// <summary>The lengths of the <see cref="GeoUnit"/>s, with Redis's constants.</summary>
public static class GeoUnits
{
    /// <summary>One <paramref name="unit"/> in metres.</summary>
    public static double InMeters(GeoUnit unit) => unit switch
    {
        GeoUnit.Kilometers => 1000,
        GeoUnit.Feet => 0.3048,
        GeoUnit.Miles => 1609.34,
        _ => 1,
    };
}
