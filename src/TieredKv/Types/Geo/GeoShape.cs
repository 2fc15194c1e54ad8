using TieredKv.Keyspace;

namespace TieredKv.Types.Geo;

/// <summary>A geo search area: a circle (<see cref="Radius"/>) or a box (<see cref="Width"/> × <see cref="Height"/>) around <see cref="Center"/>, sizes in <see cref="Unit"/>.</summary>
public sealed record GeoShape
{
    public GeoPosition Center { get; init; }
    public bool IsBox { get; init; }
    public double Radius { get; init; }
    public double Width { get; init; }
    public double Height { get; init; }
    public GeoUnit Unit { get; init; } = GeoUnit.Meters;

    internal double Lon => Center.Longitude;
    internal double Lat => Center.Latitude;

    /// <summary>The length of one <see cref="Unit"/> in metres.</summary>
    internal double Conversion => GeoUnits.InMeters(Unit);

    /// <summary>A circle of <paramref name="radius"/> (at least 0) around <paramref name="center"/>.</summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.OutOfRange"/>: a negative radius.</exception>
    public static GeoShape Circle(GeoPosition center, double radius, GeoUnit unit = GeoUnit.Meters)
    {
        if (radius < 0) throw new KvException(KvErrorKind.OutOfRange, "radius cannot be negative");
        return new GeoShape { Center = center, Radius = radius, Unit = unit };
    }

    /// <summary>A box of <paramref name="width"/> by <paramref name="height"/> (neither negative) centred on <paramref name="center"/>.</summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.OutOfRange"/>: a negative side.</exception>
    public static GeoShape Box(GeoPosition center, double width, double height, GeoUnit unit = GeoUnit.Meters)
    {
        if (height < 0 || width < 0) throw new KvException(KvErrorKind.OutOfRange, "height or width cannot be negative");
        return new GeoShape { Center = center, IsBox = true, Width = width, Height = height, Unit = unit };
    }
}
