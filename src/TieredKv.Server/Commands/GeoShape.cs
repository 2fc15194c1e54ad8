namespace TieredKv.Server.Commands;

/// <summary>A search shape: a circle (<see cref="Radius"/>) or a box (<see cref="Width"/> × <see cref="Height"/>) around a centre, in units of <see cref="Conversion"/> metres.</summary>
internal sealed class GeoShape
{
    public double Lon { get; set; }
    public double Lat { get; set; }
    public bool IsBox { get; set; }
    public double Radius { get; set; }
    public double Width { get; set; }
    public double Height { get; set; }
    public double Conversion { get; set; } = 1;
}
