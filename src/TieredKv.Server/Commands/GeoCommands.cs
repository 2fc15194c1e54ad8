using TieredKv.Numbers;
using System.Globalization;
using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;
using TieredKv.Types.Geo;
using TieredKv.Types.SortedSets;

namespace TieredKv.Server.Commands;

/// <summary>The geo commands: arguments parsed and replies written here; the semantics are the library's (<see cref="GeoOperations.GeoSearch"/>).</summary>
internal static class GeoCommands
{
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
        var items = new List<(GeoPosition, byte[])>(elements / 3);
        for (; i < c.ArgCount; i += 3) items.Add((LonLat(c, i), c.Arg(i + 2)));
        c.Reply.WriteInteger(c.Db.GeoAdd(c.Args[1], items, new ZAddOptions { Nx = nx, Xx = xx, Ch = ch }));
    }

    private static void GeoPos(CommandContext c)
    {
        var positions = c.Db.GeoPos(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(positions.Length);
        foreach (var position in positions)
        {
            if (position is not { } p)
            {
                c.Reply.WriteNullArray();
                continue;
            }
            c.Reply.WriteArrayHeader(2);
            WriteCoordinate(c, p.Longitude);
            WriteCoordinate(c, p.Latitude);
        }
    }

    private static void GeoDist(CommandContext c)
    {
        var unit = GeoUnit.Meters;
        if (c.ArgCount == 5) unit = Unit(c, 4);
        else if (c.ArgCount > 5) throw CommandContext.Syntax();
        if (c.Db.GeoDist(c.Args[1], c.Arg(2), c.Arg(3), unit) is { } distance) WriteDistance(c, distance);
        else c.Reply.WriteNull();
    }

    private static void GeoHashCommand(CommandContext c)
    {
        var hashes = c.Db.GeoHashes(c.Args[1], c.ArgList(2));
        c.Reply.WriteArrayHeader(hashes.Length);
        foreach (var hash in hashes)
        {
            if (hash == null) c.Reply.WriteNull();
            else c.Reply.WriteBulk(hash);
        }
    }

    /// <summary>GEORADIUS, GEORADIUSBYMEMBER (and _RO), GEOSEARCH and GEOSEARCHSTORE, parsed in Redis's order so the same error wins.</summary>
    private static void Search(CommandContext c, int sourceIndex, GeoSearchKind kind)
    {
        byte[] source = c.Arg(sourceIndex);
        // The type check comes first; ZCard throws WRONGTYPE.
        bool exists = c.Db.ZCard(source) > 0;
        var r = GeoSearchArguments.Parse(c, kind, source, exists);
        if (r.StoreKey is { } storeKey)
        {
            c.Reply.WriteInteger(c.Db.GeoSearchStore(storeKey, source, r.Request, r.StoreDist,
                kind.HasFlag(GeoSearchKind.SearchStore) ? "geosearchstore" : "georadiusstore"));
            TouchStored(c, storeKey);
            return;
        }
        var points = c.Db.GeoSearch(source, r.Request);
        var (withDist, withHash, withCoords) = (r.WithDist, r.WithHash, r.WithCoords);
        int options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoords ? 1 : 0);
        c.Reply.WriteArrayHeader(points.Count);
        foreach (var p in points)
        {
            if (options > 0) c.Reply.WriteArrayHeader(options + 1);
            c.Reply.WriteBulk(p.Member);
            if (withDist) WriteDistance(c, p.Distance);
            if (withHash) c.Reply.WriteInteger((long)p.Score);
            if (withCoords)
            {
                c.Reply.WriteArrayHeader(2);
                WriteCoordinate(c, p.Position.Longitude);
                WriteCoordinate(c, p.Position.Latitude);
            }
        }
    }

    /// <summary>GEORADIUS's STORE key is not among its spec's keys: the WATCHes on it are invalidated here.</summary>
    private static void TouchStored(CommandContext c, byte[] key) => c.Server.Watches.Touch(c.Client.Database, key);

    /// <summary>A longitude,latitude pair at <paramref name="index"/>, with Redis's range error.</summary>
    internal static GeoPosition LonLat(CommandContext c, int index) => GeoPosition.Checked(c.Float(index), c.Float(index + 1));

    /// <summary>The position of the member named at <paramref name="index"/> (a search centre).</summary>
    internal static GeoPosition MemberPosition(CommandContext c, byte[] key, int index) =>
        c.Db.CentrePosition(key, c.Arg(index)) ?? throw new KvException(KvErrorKind.NoSuchMember, "the centre member is not in the geo set");

    /// <summary>A radius and its unit.</summary>
    internal static (double Radius, GeoUnit Unit) Radius(CommandContext c, int index)
    {
        double radius = c.Float(index, "ERR need numeric radius");
        if (radius < 0) throw new KvException("ERR radius cannot be negative");
        return (radius, Unit(c, index + 1));
    }

    internal static GeoUnit Unit(CommandContext c, int index)
    {
        if (c.Args.Is(index, "M"u8)) return GeoUnit.Meters;
        if (c.Args.Is(index, "KM"u8)) return GeoUnit.Kilometers;
        if (c.Args.Is(index, "FT"u8)) return GeoUnit.Feet;
        if (c.Args.Is(index, "MI"u8)) return GeoUnit.Miles;
        throw new KvException("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    /// <summary>Distances go as "%.4f" bulk strings, in RESP3 too.</summary>
    private static void WriteDistance(CommandContext c, double distance) => c.Reply.WriteBulk(RedisNumbers.FormatFixed(distance, 4));

    /// <summary>
    /// Coordinates as Redis's human long double: 17 decimals with trailing zeros (and a bare point)
    /// dropped; a bulk string in RESP2, a double in RESP3.
    /// </summary>
    private static void WriteCoordinate(CommandContext c, double value)
    {
        string text = RedisNumbers.FormatFixed(value, 17);
        if (text.Contains('.')) text = text.TrimEnd('0').TrimEnd('.');
        if (text == "-0") text = "0";
        if (c.Reply.IsResp3) c.Reply.WriteRaw(CommandContext.Ascii($",{text}\r\n"));
        else c.Reply.WriteBulk(text);
    }
}
