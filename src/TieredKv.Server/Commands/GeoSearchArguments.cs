using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Types.Geo;

namespace TieredKv.Server.Commands;

/// <summary>A parsed geo search command: the library request, and the destination and reply options, checked in Redis's order so the same error wins.</summary>
internal sealed class GeoSearchArguments
{
    public required GeoSearchRequest Request { get; init; }
    public byte[]? StoreKey { get; init; }
    public bool StoreDist { get; init; }
    public bool WithDist { get; init; }
    public bool WithHash { get; init; }
    public bool WithCoords { get; init; }

    /// <summary>
    /// Parses the arguments after the source key. <paramref name="exists"/> says whether the source
    /// exists: without it a member centre is not looked up (the reply is empty or 0 after parsing).
    /// </summary>
    public static GeoSearchArguments Parse(CommandContext c, GeoSearchKind kind, byte[] source, bool exists)
    {
        var center = default(GeoPosition);
        double radius = 0, width = 0, height = 0;
        var unit = GeoUnit.Meters;
        bool isBox = false;
        byte[]? storeKey = null;
        bool storeDist = false;
        int baseArgs;
        if (kind.HasFlag(GeoSearchKind.Coords))
        {
            baseArgs = 6;
            center = GeoCommands.LonLat(c, 2);
            (radius, unit) = GeoCommands.Radius(c, 4);
        }
        else if (kind.HasFlag(GeoSearchKind.Member) && !exists) baseArgs = 5;
        else if (kind.HasFlag(GeoSearchKind.Member))
        {
            baseArgs = 5;
            center = GeoCommands.MemberPosition(c, source, 2);
            (radius, unit) = GeoCommands.Radius(c, 3);
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
                if (exists) center = GeoCommands.MemberPosition(c, source, j + 1);
                fromMember = true;
                i++;
            }
            else if (c.Args.Is(j, "FROMLONLAT"u8) && i + 2 < remaining && search && !fromMember)
            {
                center = GeoCommands.LonLat(c, j + 1);
                fromLonLat = true;
                i += 2;
            }
            else if (c.Args.Is(j, "BYRADIUS"u8) && i + 2 < remaining && search && !byBox)
            {
                (radius, unit) = GeoCommands.Radius(c, j + 1);
                isBox = false;
                byRadius = true;
                i += 2;
            }
            else if (c.Args.Is(j, "BYBOX"u8) && i + 3 < remaining && search && !byRadius)
            {
                width = c.Float(j + 1, "ERR need numeric width");
                height = c.Float(j + 2, "ERR need numeric height");
                if (height < 0 || width < 0) throw new KvException("ERR height or width cannot be negative");
                unit = GeoCommands.Unit(c, j + 3);
                isBox = true;
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
        var shape = new GeoShape { Center = center, IsBox = isBox, Radius = radius, Width = width, Height = height, Unit = unit };
        return new GeoSearchArguments
        {
            Request = new GeoSearchRequest { Shape = shape, Count = count, Any = any, Sort = sort },
            StoreKey = storeKey, StoreDist = storeDist, WithDist = withDist, WithHash = withHash, WithCoords = withCoords,
        };
    }
}
