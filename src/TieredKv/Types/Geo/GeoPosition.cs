namespace TieredKv.Types.Geo;

/// <summary>A longitude,latitude pair in degrees.</summary>
public readonly record struct GeoPosition(double Longitude, double Latitude)
{
    /// <summary>Whether the pair is within the range geohashes cover (±180, ±85.05112878).</summary>
    public bool IsValid => GeoHash.IsValid(Longitude, Latitude);

    /// <summary>The pair, or the error Redis gives for one out of range.</summary>
    /// <exception cref="InvalidCoordinatesException">Out of range.</exception>
    public static GeoPosition Checked(double longitude, double latitude) =>
        GeoHash.IsValid(longitude, latitude) ? new GeoPosition(longitude, latitude) : throw new InvalidCoordinatesException(longitude, latitude);
}
