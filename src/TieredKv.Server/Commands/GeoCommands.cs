using System.Globalization;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>
/// The geo commands (Redis's geo.c): positions stored as sorted-set members scored by their 52-bit
/// geohash, searched by scanning the score ranges of the nine cells around the centre.
/// </summary>
internal static class GeoCommands
{
    private readonly record struct Point(byte[] Member, double Score, double Lon, double Lat, double Distance);

    public static void Register(CommandTable t)
    {
        const CommandFlags Read = CommandFlags.ReadOnly, Write = CommandFlags.Write;
        t.Add(new("geoadd", -5, Write, 1, 1, 1, GeoAdd));
        t.Add(new("geopos", -2, Read, 1, 1, 1, GeoPos));
        t.Add(new("geodist", -4, Read, 1, 1, 1, GeoDist));
        t.Add(new("geohash", -2, Read, 1, 1, 1, GeoHashCommand));
        t.Add(new("georadius", -6, Write, 1, 1, 1, c => Search(c, 1, GeoSearchKind.Coords)));
        t.Add(new("georadius_ro", -6, Read, 1, 1, 1, c => Search(c, 1, GeoSearchKind.Coords | GeoSearchKind.NoStore)));
        t.Add(new("georadiusbymember", -5, Write, 1, 1, 1, c => Search(c, 1, GeoSearchKind.Member)));
        t.Add(new("georadiusbymember_ro", -5, Read, 1, 1, 1, c => Search(c, 1, GeoSearchKind.Member | GeoSearchKind.NoStore)));
        t.Add(new("geosearch", -7, Read, 1, 1, 1, c => Search(c, 1, GeoSearchKind.Search)));
        t.Add(new("geosearchstore", -8, Write, 1, 2, 1, c => Search(c, 2, GeoSearchKind.Search | GeoSearchKind.SearchStore)));
    }

    private static void GeoAdd(CommandContext c)
    {
        bool nx = false, xx = false, ch = false;
        int i = 2;
        for (; i < c.ArgCount; i++)
        {
            if (c.Args.Is(i, "NX"u8)) nx = true;
            else if (c.Args.Is(i, "XX"u8)) xx = true;
            else if (c.Args.Is(i, "CH"u8)) ch = true;
            else break;
        }
        int elements = c.ArgCount - i;
        if (elements % 3 != 0 || (xx && nx) || elements == 0) throw CommandContext.Syntax();
        var entries = new List<(double, byte[])>(elements / 3);
        for (; i < c.ArgCount; i += 3)
        {
            var (lon, lat) = LonLat(c, i);
            entries.Add((GeoHash.Score(lon, lat), c.Arg(i + 2)));
        }
        c.Reply.WriteInteger(c.Db.ZAdd(c.Args[1], entries, new ZAddOptions { Nx = nx, Xx = xx, Ch = ch }).Count);
    }

    private static void GeoPos(CommandContext c)
    {
        var scores = c.Db.ZMScore(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(scores.Length);
        foreach (var score in scores)
        {
            if (score is not { } s)
            {
                c.Reply.WriteNullArray();
                continue;
            }
            var (lon, lat) = GeoHash.DecodeScore(s);
            c.Reply.WriteArrayHeader(2);
            WriteCoordinate(c, lon);
            WriteCoordinate(c, lat);
        }
    }

    private static void GeoDist(CommandContext c)
    {
        double toMeters = 1;
        if (c.ArgCount == 5) toMeters = Unit(c, 4);
        else if (c.ArgCount > 5) throw CommandContext.Syntax();
        var scores = c.Db.ZMScore(c.Args[1], [c.Arg(2), c.Arg(3)]);
        if (scores[0] is not { } s1 || scores[1] is not { } s2)
        {
            c.Reply.WriteNull();
            return;
        }
        var (lon1, lat1) = GeoHash.DecodeScore(s1);
        var (lon2, lat2) = GeoHash.DecodeScore(s2);
        WriteDistance(c, GeoHash.Distance(lon1, lat1, lon2, lat2) / toMeters);
    }

    private static void GeoHashCommand(CommandContext c)
    {
        var scores = c.Db.ZMScore(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(scores.Length);
        foreach (var score in scores)
        {
            if (score is not { } s)
            {
                c.Reply.WriteNull();
                continue;
            }
            var (lon, lat) = GeoHash.DecodeScore(s);
            c.Reply.WriteBulk(GeoHash.ToBase32(lon, lat));
        }
    }

    /// <summary>GEORADIUS, GEORADIUSBYMEMBER (and _RO), GEOSEARCH and GEOSEARCHSTORE, parsed in Redis's order so the same error wins.</summary>
    private static void Search(CommandContext c, int sourceIndex, GeoSearchKind kind)
    {
        byte[] source = c.Arg(sourceIndex);
        // The type check comes first; ZCard throws WRONGTYPE.
        bool exists = c.Db.ZCard(source) > 0;
        var r = GeoSearchRequest.Parse(c, kind, source, exists);
        var (shape, storeKey, storeDist, count, sort) = (r.Shape, r.StoreKey, r.StoreDist, r.Count, r.Sort);
        if (!exists)
        {
            if (storeKey != null)
            {
                c.Reply.WriteInteger(c.Db.ZStore(storeKey, []));
                TouchStored(c, storeKey);
            }
            else c.Reply.WriteArrayHeader(0);
            return;
        }
        long limit = r.Any ? count : 0;
        var found = new List<Point>();
        bool Visit(byte[] member, double score)
        {
            var (lon, lat) = GeoHash.DecodeScore(score);
            if (GeoHash.Contains(shape, lon, lat, out double distance)) found.Add(new Point(member, score, lon, lat, distance));
            return limit == 0 || found.Count < limit;
        }
        // The results sorted (stably: Redis's qsort is glibc's merge sort) and cut to COUNT.
        List<Point> Results()
        {
            IEnumerable<Point> sorted = sort switch
            {
                GeoSort.Asc => found.OrderBy(p => p.Distance),
                GeoSort.Desc => found.OrderByDescending(p => p.Distance),
                _ => found,
            };
            return [.. count == 0 ? sorted : sorted.Take((int)Math.Min(count, int.MaxValue))];
        }
        var ranges = ScoreRanges(shape);

        if (storeKey != null)
        {
            double conversion = shape.Conversion;
            c.Reply.WriteInteger(c.Db.ZVisitScoreRangesStore(storeKey, source, ranges, Visit,
                () => [.. Results().Select(p => (p.Member, storeDist ? p.Distance / conversion : p.Score))]));
            TouchStored(c, storeKey);
            return;
        }
        c.Db.ZVisitScoreRanges(source, ranges, Visit);
        var points = Results();
        var (withDist, withHash, withCoords) = (r.WithDist, r.WithHash, r.WithCoords);
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
        c.Reply.WriteArrayHeader(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (options > 0) c.Reply.WriteArrayHeader(options + 1);
            c.Reply.WriteBulk(p.Member);
            if (withDist) WriteDistance(c, p.Distance / shape.Conversion);
            if (withHash) c.Reply.WriteInteger((long)p.Score);
            if (withCoords)
            {
                c.Reply.WriteArrayHeader(2);
                WriteCoordinate(c, p.Lon);
                WriteCoordinate(c, p.Lat);
            }
        }
    }

    /// <summary>
    /// The score ranges to read: those of the search cells in Redis's order, skipping empty cells and
    /// a cell equal to the one before it (huge radii make neighbours coincide).
    /// </summary>
    private static List<(ScoreBound Min, ScoreBound Max)> ScoreRanges(GeoShape shape)
    {
        var cells = GeoHash.SearchCells(shape);
        var ranges = new List<(ScoreBound, ScoreBound)>(cells.Length);
        int last = 0;
        for (int i = 0; i < cells.Length; i++)
        {
            if (cells[i].IsZero || (last != 0 && cells[i] == cells[last])) continue;
            var (min, max) = cells[i].ScoreRange;
            ranges.Add((new ScoreBound(min), new ScoreBound(max, Exclusive: true)));
            last = i;
        }
        return ranges;
    }

    /// <summary>GEORADIUS's STORE key is not among its spec's keys: the WATCHes on it are invalidated here.</summary>
    private static void TouchStored(CommandContext c, byte[] key) => c.Server.Watches.Touch(c.Client.Database, key);

    /// <summary>A longitude,latitude pair at <paramref name="index"/>, with Redis's range error.</summary>
    internal static (double Lon, double Lat) LonLat(CommandContext c, int index)
    {
        double lon = c.Float(index), lat = c.Float(index + 1);
        if (!GeoHash.IsValid(lon, lat))
            throw new KvException($"ERR invalid longitude,latitude pair {FormatFixed(lon, 6)},{FormatFixed(lat, 6)}");
        return (lon, lat);
    }

    internal static (double Lon, double Lat) MemberPosition(CommandContext c, byte[] key, int index)
    {
        if (c.Db.ZScore(key, c.Args[index]) is not { } score) throw new KvException("ERR could not decode requested zset member");
        return GeoHash.DecodeScore(score);
    }

    /// <summary>A radius and its unit: the radius in the unit, and the unit in metres.</summary>
    internal static (double Radius, double Conversion) Radius(CommandContext c, int index)
    {
        double radius = c.Float(index, "ERR need numeric radius");
        if (radius < 0) throw new KvException("ERR radius cannot be negative");
        return (radius, Unit(c, index + 1));
    }

    /// <summary>A unit's length in metres.</summary>
    internal static double Unit(CommandContext c, int index)
    {
        if (c.Args.Is(index, "M"u8)) return 1;
        if (c.Args.Is(index, "KM"u8)) return 1000;
        if (c.Args.Is(index, "FT"u8)) return 0.3048;
        if (c.Args.Is(index, "MI"u8)) return 1609.34;
        throw new KvException("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /// <summary>Distances go as "%.4f" bulk strings, in RESP3 too.</summary>
    private static void WriteDistance(CommandContext c, double distance) => c.Reply.WriteBulk(FormatFixed(distance, 4));

    /// <summary>
    /// Coordinates as Redis's human long double: 17 decimals with trailing zeros (and a bare point)
    /// dropped; a bulk string in RESP2, a double in RESP3.
    /// </summary>
    private static void WriteCoordinate(CommandContext c, double value)
    {
        string text = FormatFixed(value, 17);
        if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        if (text == "-0") text = "0";
        if (c.Reply.IsResp3) c.Reply.WriteRaw(CommandContext.Ascii($",{text}\r\n"));
        else c.Reply.WriteBulk(text);
    }

    /// <summary>C's "%.Nf".</summary>
    private static string FormatFixed(double value, int decimals)
    {
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        string text = value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text;
    }
}
