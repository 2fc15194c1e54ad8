using System.Globalization;
using TieredKv.Keyspace;

namespace TieredKv.Types.Geo;

/// <summary>A longitude,latitude pair outside the range geohashes cover (<see cref="KvErrorKind.InvalidCoordinates"/>).</summary>
public sealed class InvalidCoordinatesException(double longitude, double latitude)
    : KvException(KvErrorKind.InvalidCoordinates, string.Create(CultureInfo.InvariantCulture, $"invalid longitude,latitude pair {longitude},{latitude}"))
{
    public double Longitude { get; } = longitude;
    public double Latitude { get; } = latitude;
}
