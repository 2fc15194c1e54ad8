namespace TieredKv.Types.Geo;

/// <summary>
/// The geohash math of Redis's geo commands: 52-bit interleaved cells (latitude in the even bits,
/// longitude in the odd ones, 26 bits each), their neighbours, and haversine distances, computed in
/// the same order as Redis so scores, decoded positions and search areas match it exactly.
/// </summary>
internal static class GeoHash
{
    public const double LonMin = -180, LonMax = 180;
    public const double LatMin = -85.05112878, LatMax = 85.05112878;
    public const int MaxStep = 26;
    public const double EarthRadius = 6372797.560856;
    private const double MercatorMax = 20037726.37;
    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    /// <summary>A cell: <see cref="Value"/> holds 2 × <see cref="Step"/> interleaved bits.</summary>
    public readonly record struct Cell(ulong Value, int Step)
    {
        public bool IsZero => Value == 0 && Step == 0;

        /// <summary>The score range [Min, Max) of the 52-bit hashes inside this cell.</summary>
        public (ulong Min, ulong Max) ScoreRange => (Value << (52 - Step * 2), (Value + 1) << (52 - Step * 2));
    }

    /// <summary>A cell's bounds in degrees.</summary>
    public readonly record struct Area(double LonMin, double LonMax, double LatMin, double LatMax);

    /// <summary>Whether the pair is within the indexable range (±180, ±85.05112878).</summary>
    public static bool IsValid(double lon, double lat) => lon >= LonMin && lon <= LonMax && lat >= LatMin && lat <= LatMax;

    /// <summary>Encodes a position at <paramref name="step"/> bits per axis, against the given latitude range.</summary>
    public static Cell Encode(double lon, double lat, int step, double latMin = LatMin, double latMax = LatMax)
    {
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - LonMin) / (LonMax - LonMin);
        latOffset *= 1UL << step;
        lonOffset *= 1UL << step;
        return new Cell(Interleave((uint)latOffset, (uint)lonOffset), step);
    }

    /// <summary>The 52-bit score GEOADD stores for a position.</summary>
    public static ulong Score(double lon, double lat) => Encode(lon, lat, MaxStep).Value;

    /// <summary>A cell's bounds (WGS84 latitude range).</summary>
    public static Area Decode(Cell cell)
    {
        ulong both = Deinterleave(cell.Value);
        uint latBits = (uint)both, lonBits = (uint)(both >> 32);
        double cells = 1UL << cell.Step;
        double latScale = LatMax - LatMin, lonScale = LonMax - LonMin;
        return new Area(
            LonMin + (lonBits * 1.0 / cells) * lonScale,
            LonMin + ((lonBits + 1) * 1.0 / cells) * lonScale,
            LatMin + (latBits * 1.0 / cells) * latScale,
            LatMin + ((latBits + 1) * 1.0 / cells) * latScale);
    }

    /// <summary>The centre of the cell a stored score names, as GEOPOS reports it.</summary>
    public static (double Lon, double Lat) DecodeScore(double score)
    {
        var a = Decode(new Cell(ToUInt64(score), MaxStep));
        double lon = Math.Clamp((a.LonMin + a.LonMax) / 2, LonMin, LonMax);
        double lat = Math.Clamp((a.LatMin + a.LatMax) / 2, LatMin, LatMax);
        return (lon, lat);
    }

    /// <summary>
    /// A score as C's (uint64_t) cast leaves it on x86-64, so sorted-set members that GEOADD did not
    /// write (negative or huge scores) decode to the same cells as in Redis.
    /// </summary>
    private static ulong ToUInt64(double d)
    {
        const double TwoTo63 = 9223372036854775808.0;
        const ulong Indefinite = 0x8000000000000000UL;
        if (d >= TwoTo63)
        {
            double rest = d - TwoTo63;
            return rest >= TwoTo63 ? 0 : (ulong)(long)rest ^ Indefinite;
        }
        if (!(d >= -TwoTo63)) return Indefinite;
        return (ulong)(long)d;
    }

    /// <summary>GEOHASH's 11-character string: the position re-encoded against latitude ±90, base32, the last character always '0'.</summary>
    public static string ToBase32(double lon, double lat)
    {
        ulong bits = Encode(lon, lat, MaxStep, -90, 90).Value;
        var chars = new char[11];
        for (int i = 0; i < 11; i++)
            chars[i] = Alphabet[i == 10 ? 0 : (int)((bits >> (52 - (i + 1) * 5)) & 0x1f)];
        return new string(chars);
    }

    /// <summary>Great-circle distance in metres (haversine), with Redis's shortcut along a meridian.</summary>
    public static double Distance(double lon1, double lat1, double lon2, double lat2)
    {
        double lon1r = Radians(lon1), lon2r = Radians(lon2);
        double v = Math.Sin((lon2r - lon1r) / 2);
        if (v == 0.0) return LatDistance(lat1, lat2);
        double lat1r = Radians(lat1), lat2r = Radians(lat2);
        double u = Math.Sin((lat2r - lat1r) / 2);
        double a = u * u + Math.Cos(lat1r) * Math.Cos(lat2r) * v * v;
        return 2.0 * EarthRadius * Math.Asin(Math.Sqrt(a));
    }

    public static double LatDistance(double lat1, double lat2) => EarthRadius * Math.Abs(Radians(lat2) - Radians(lat1));

    /// <summary>The cells to scan for a search: the centre cell first, then N, S, E, W, NE, NW, SE, SW; useless ones are zero.</summary>
    public static Cell[] SearchCells(GeoShape shape)
    {
        var (minLon, minLat, maxLon, maxLat) = BoundingBox(shape);
        double radius = shape.IsBox
            ? Math.Sqrt((shape.Width / 2) * (shape.Width / 2) + (shape.Height / 2) * (shape.Height / 2))
            : shape.Radius;
        radius *= shape.Conversion;
        int steps = EstimateSteps(radius, shape.Lat);
        var hash = Encode(shape.Lon, shape.Lat, steps);
        var n = Neighbours(hash);
        var area = Decode(hash);

        bool decrease = Decode(n[1]).LatMax < maxLat || Decode(n[2]).LatMin > minLat
            || Decode(n[3]).LonMax < maxLon || Decode(n[4]).LonMin > minLon;
        if (steps > 1 && decrease)
        {
            steps--;
            hash = Encode(shape.Lon, shape.Lat, steps);
            n = Neighbours(hash);
            area = Decode(hash);
        }
        if (steps >= 2)
        {
            // Indexes: 1 N, 2 S, 3 E, 4 W, 5 NE, 6 NW, 7 SE, 8 SW.
            if (area.LatMin < minLat) n[2] = n[7] = n[8] = default;
            if (area.LatMax > maxLat) n[1] = n[5] = n[6] = default;
            if (area.LonMin < minLon) n[4] = n[8] = n[6] = default;
            if (area.LonMax > maxLon) n[3] = n[7] = n[5] = default;
        }
        return n;
    }

    /// <summary>Whether a point lies in the shape, and its distance in metres from the centre.</summary>
    public static bool Contains(GeoShape shape, double lon, double lat, out double distance)
    {
        distance = 0;
        if (!shape.IsBox)
        {
            distance = Distance(shape.Lon, shape.Lat, lon, lat);
            return distance <= shape.Radius * shape.Conversion;
        }
        double width = shape.Width * shape.Conversion, height = shape.Height * shape.Conversion;
        if (LatDistance(lat, shape.Lat) > height / 2) return false;
        if (Distance(lon, lat, shape.Lon, lat) > width / 2) return false;
        distance = Distance(shape.Lon, shape.Lat, lon, lat);
        return true;
    }

    private static (double MinLon, double MinLat, double MaxLon, double MaxLat) BoundingBox(GeoShape shape)
    {
        double height = shape.Conversion * (shape.IsBox ? shape.Height / 2 : shape.Radius);
        double width = shape.Conversion * (shape.IsBox ? shape.Width / 2 : shape.Radius);
        double latDelta = Degrees(height / EarthRadius);
        double lonDeltaTop = Degrees(width / EarthRadius / Math.Cos(Radians(shape.Lat + latDelta)));
        double lonDeltaBottom = Degrees(width / EarthRadius / Math.Cos(Radians(shape.Lat - latDelta)));
        bool south = shape.Lat < 0;
        double lonDelta = south ? lonDeltaBottom : lonDeltaTop;
        return (shape.Lon - lonDelta, shape.Lat - latDelta, shape.Lon + lonDelta, shape.Lat + latDelta);
    }

    private static int EstimateSteps(double rangeMeters, double lat)
    {
        if (rangeMeters == 0) return 26;
        int step = 1;
        while (rangeMeters < MercatorMax)
        {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66)
        {
            step--;
            if (lat > 80 || lat < -80) step--;
        }
        return Math.Clamp(step, 1, 26);
    }

    /// <summary>The cell and its eight neighbours, in the order Redis scans them.</summary>
    private static Cell[] Neighbours(Cell c) =>
    [
        c,
        Move(c, 0, 1), Move(c, 0, -1), Move(c, 1, 0), Move(c, -1, 0),
        Move(c, 1, 1), Move(c, -1, 1), Move(c, 1, -1), Move(c, -1, -1),
    ];

    /// <summary>Steps one cell east/west (<paramref name="dx"/>, the odd longitude bits) and north/south (<paramref name="dy"/>, the even latitude bits), wrapping.</summary>
    private static Cell Move(Cell c, int dx, int dy)
    {
        ulong bits = c.Value;
        int shift = 64 - c.Step * 2;
        if (dx != 0)
        {
            ulong x = bits & 0xaaaaaaaaaaaaaaaaUL, y = bits & 0x5555555555555555UL;
            ulong zz = 0x5555555555555555UL >> shift;
            if (dx > 0) x += zz + 1;
            else { x |= zz; x -= zz + 1; }
            x &= 0xaaaaaaaaaaaaaaaaUL >> shift;
            bits = x | y;
        }
        if (dy != 0)
        {
            ulong x = bits & 0xaaaaaaaaaaaaaaaaUL, y = bits & 0x5555555555555555UL;
            ulong zz = 0xaaaaaaaaaaaaaaaaUL >> shift;
            if (dy > 0) y += zz + 1;
            else { y |= zz; y -= zz + 1; }
            y &= 0x5555555555555555UL >> shift;
            bits = x | y;
        }
        return new Cell(bits, c.Step);
    }

    /// <summary><paramref name="even"/> into the even bits, <paramref name="odd"/> into the odd bits.</summary>
    private static ulong Interleave(uint even, uint odd)
    {
        ulong r = 0;
        for (int i = 0; i < 32; i++)
        {
            r |= (ulong)((even >> i) & 1) << (2 * i);
            r |= (ulong)((odd >> i) & 1) << (2 * i + 1);
        }
        return r;
    }

    /// <summary>The even bits in the low half, the odd bits in the high half.</summary>
    private static ulong Deinterleave(ulong v)
    {
        ulong even = 0, odd = 0;
        for (int i = 0; i < 32; i++)
        {
            even |= ((v >> (2 * i)) & 1) << i;
            odd |= ((v >> (2 * i + 1)) & 1) << i;
        }
        return even | (odd << 32);
    }

    private static double Radians(double degrees) => degrees * (Math.PI / 180.0);

    private static double Degrees(double radians) => radians * (180.0 / Math.PI);
}
