using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>A parsed geo search: shape, options and destination, checked in Redis's order so the same error wins.</summary>
internal sealed class GeoSearchRequest
{
    public required GeoShape Shape { get; init; }
    public byte[]? StoreKey { get; init; }
    public bool StoreDist { get; init; }
    public bool WithDist { get; init; }
    public bool WithHash { get; init; }
    public bool WithCoords { get; init; }
    public bool Any { get; init; }
    /// <summary>COUNT, 0 for none.</summary>
    public long Count { get; init; }
    /// <summary>The order: a COUNT without ANY implies ASC.</summary>
    public GeoSort Sort { get; init; }

    /// <summary>
    /// Parses the arguments after the source key. <paramref name="exists"/> says whether the source
    /// exists: without it a member centre is not looked up (the reply is empty or 0 after parsing).
    /// </summary>
    public static GeoSearchRequest Parse(CommandContext c, GeoSearchKind kind, byte[] source, bool exists)
    {
        var shape = new GeoShape();
        byte[]? storeKey = null;
        bool storeDist = false;
        int baseArgs;
        if (kind.HasFlag(GeoSearchKind.Coords))
        {
            baseArgs = 6;
            (shape.Lon, shape.Lat) = GeoCommands.LonLat(c, 2);
            (shape.Radius, shape.Conversion) = GeoCommands.Radius(c, 4);
        }
        else if (kind.HasFlag(GeoSearchKind.Member) && !exists) baseArgs = 5;
        else if (kind.HasFlag(GeoSearchKind.Member))
        {
            baseArgs = 5;
            (shape.Lon, shape.Lat) = GeoCommands.MemberPosition(c, source, 2);
            (shape.Radius, shape.Conversion) = GeoCommands.Radius(c, 3);
        }
        else
        {
            baseArgs = 2;
            if (kind.HasFlag(GeoSearchKind.SearchStore))
            {
                baseArgs = 3;
                storeKey = c.Arg(1);
            }
        }
        bool withDist = false, withHash = false, withCoords = false, fromMember = false, fromLonLat = false, byRadius = false, byBox = false, any = false;
        var sort = GeoSort.None;
        long count = 0;
        bool search = kind.HasFlag(GeoSearchKind.Search);
        int remaining = c.ArgCount - baseArgs;
        for (int i = 0; i < remaining; i++)
        {
            int j = baseArgs + i;
            if (c.Args.Is(j, "WITHDIST"u8)) withDist = true;
            else if (c.Args.Is(j, "WITHHASH"u8)) withHash = true;
            else if (c.Args.Is(j, "WITHCOORD"u8)) withCoords = true;
            else if (c.Args.Is(j, "ANY"u8)) any = true;
            else if (c.Args.Is(j, "ASC"u8)) sort = GeoSort.Asc;
            else if (c.Args.Is(j, "DESC"u8)) sort = GeoSort.Desc;
            else if (c.Args.Is(j, "COUNT"u8) && i + 1 < remaining)
            {
                count = c.Integer(j + 1);
                if (count <= 0) throw new KvException("ERR COUNT must be > 0");
                i++;
            }
            else if ((c.Args.Is(j, "STORE"u8) || c.Args.Is(j, "STOREDIST"u8)) && i + 1 < remaining
                     && !kind.HasFlag(GeoSearchKind.NoStore) && !search)
            {
                storeKey = c.Arg(j + 1);
                storeDist = c.Args.Is(j, "STOREDIST"u8);
                i++;
            }
            else if (c.Args.Is(j, "STOREDIST"u8) && kind.HasFlag(GeoSearchKind.SearchStore)) storeDist = true;
            else if (c.Args.Is(j, "FROMMEMBER"u8) && i + 1 < remaining && search && !fromLonLat)
            {
                if (exists) (shape.Lon, shape.Lat) = GeoCommands.MemberPosition(c, source, j + 1);
                fromMember = true;
                i++;
            }
            else if (c.Args.Is(j, "FROMLONLAT"u8) && i + 2 < remaining && search && !fromMember)
            {
                (shape.Lon, shape.Lat) = GeoCommands.LonLat(c, j + 1);
                fromLonLat = true;
                i += 2;
            }
            else if (c.Args.Is(j, "BYRADIUS"u8) && i + 2 < remaining && search && !byBox)
            {
                (shape.Radius, shape.Conversion) = GeoCommands.Radius(c, j + 1);
                shape.IsBox = false;
                byRadius = true;
                i += 2;
            }
            else if (c.Args.Is(j, "BYBOX"u8) && i + 3 < remaining && search && !byRadius)
            {
                double width = c.Float(j + 1, "ERR need numeric width");
                double height = c.Float(j + 2, "ERR need numeric height");
                if (height < 0 || width < 0) throw new KvException("ERR height or width cannot be negative");
                shape.Conversion = GeoCommands.Unit(c, j + 3);
                (shape.Width, shape.Height, shape.IsBox) = (width, height, true);
                byBox = true;
                i += 3;
            }
            else throw CommandContext.Syntax();
        }
        if (storeKey != null && (withDist || withHash || withCoords))
            throw new KvException($"ERR {(kind.HasFlag(GeoSearchKind.SearchStore) ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")} is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        if (search && !(fromMember || fromLonLat))
            throw new KvException($"ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {c.Text(0)}");
        if (search && !(byRadius || byBox))
            throw new KvException($"ERR exactly one of BYRADIUS and BYBOX can be specified for {c.Text(0)}");
        if (any && count == 0) throw new KvException("ERR the ANY argument requires COUNT argument");
        return new GeoSearchRequest
        {
            Shape = shape, StoreKey = storeKey, StoreDist = storeDist, WithDist = withDist, WithHash = withHash,
            WithCoords = withCoords, Any = any, Count = count,
            Sort = count != 0 && sort == GeoSort.None && !any ? GeoSort.Asc : sort,
        };
    }
}
