using TieredKv.Server.Tests.Harness;

namespace TieredKv.Server.Tests.Differential;

/// <summary>The geo commands against real Redis, replies compared byte for byte.</summary>
public sealed class GeoDifferentialTests(DifferentialFixture fixture) : DifferentialTest(fixture)
{
    private static readonly string[] Units = ["m", "km", "ft", "mi"];

    private void Sicily()
    {
        Same("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        Same("GEOADD", "Sicily", "12.758489", "38.788135", "edge1", "17.241510", "38.788135", "edge2");
        Same("GEOADD", "Sicily", "14.015", "37.49", "Caltanissetta", "15.55", "38.19", "Messina", "12.5", "37.8", "Marsala");
    }

    [SkippableFact]
    public void AddPosDistHash()
    {
        Sicily();
        Same("GEOPOS", "Sicily", "Palermo", "Catania", "NonExisting");
        Same("GEOPOS", "missing", "a");
        Same("GEODIST", "Sicily", "Palermo", "Catania");
        foreach (var unit in Units) Same("GEODIST", "Sicily", "Palermo", "Catania", unit);
        Same("GEODIST", "Sicily", "Palermo", "Catania", "KM");
        Same("GEODIST", "Sicily", "Foo", "Bar");
        Same("GEODIST", "missing", "Foo", "Bar");
        Same("GEODIST", "Sicily", "Palermo", "Palermo");
        Same("GEODIST", "Sicily", "Palermo", "Catania", "yd");
        Same("GEODIST", "Sicily", "Palermo", "Catania", "km", "extra");
        Same("GEOHASH", "Sicily", "Palermo", "Catania", "nope");
        Same("GEOHASH", "missing", "a");
        Same("ZRANGE", "Sicily", "0", "-1", "WITHSCORES");
        Same("GEOADD", "Sicily", "NX", "13.361389", "38.115556", "Palermo", "1", "1", "new");
        Same("GEOADD", "Sicily", "XX", "CH", "13.5", "38.115556", "Palermo", "2", "2", "newer");
        Same("GEOADD", "Sicily", "CH", "13.5", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        Same("GEOPOS", "Sicily", "Palermo", "new", "newer");
        Same("GEOADD", "w", "-180", "-85.05112878", "sw", "180", "85.05112878", "ne", "0", "0", "origin", "-0.0001", "-0.0001", "near");
        Same("GEOPOS", "w", "sw", "ne", "origin", "near");
        Same("GEOHASH", "w", "sw", "ne", "origin", "near");
        Same("GEODIST", "w", "sw", "ne", "km");
    }

    [SkippableFact]
    public void AddErrors() => SameEach(
        "GEOADD k 200 10 a", "GEOADD k 10 86 a", "GEOADD k -180.0001 0 a", "GEOADD k x 10 a", "GEOADD k 10 nan a",
        "GEOADD k inf 10 a", "GEOADD k 10 10", "GEOADD k 10 10 a 11", "GEOADD k NX XX 10 10 a", "GEOADD k GT 10 10 a",
        "GEOADD k NX CH XX", "GEOADD k", "GEOADD k 1 2", "SET str v", "GEOADD str 1 2 a", "GEOPOS str a", "GEODIST str a b",
        "GEOHASH str a", "GEOSEARCH str FROMLONLAT 1 2 BYRADIUS 1 m", "GEORADIUS str 1 2 3 m", "EXISTS k");

    [SkippableFact]
    public void SearchByRadius()
    {
        Sicily();
        foreach (var unit in Units)
        {
            string r = unit switch { "m" => "200000", "km" => "200", "ft" => "656000", _ => "124" };
            Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", r, unit, "ASC");
            Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", r, unit, "DESC", "WITHDIST", "WITHCOORD", "WITHHASH");
            Same("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", r, unit, "WITHDIST");
            Same("GEORADIUS", "Sicily", "15", "37", r, unit, "WITHDIST", "WITHCOORD", "ASC");
            Same("GEORADIUSBYMEMBER", "Sicily", "Catania", r, unit, "WITHDIST", "DESC");
            Same("GEORADIUS_RO", "Sicily", "15", "37", r, unit, "WITHHASH", "COUNT", "2");
            Same("GEORADIUSBYMEMBER_RO", "Sicily", "Palermo", r, unit, "COUNT", "3", "DESC");
        }
        Same("GEORADIUS", "Sicily", "15", "37", "200", "km");
        Same("GEORADIUS", "Sicily", "15", "37", "1000", "km");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "5000", "km");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "0", "km");
        Same("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYRADIUS", "0", "m", "WITHDIST");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "DESC");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "10", "ASC", "WITHDIST");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "1", "ANY");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "ANY", "ASC", "WITHDIST");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "km");
        Same("GEOSEARCH", "missing", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
        Same("GEOSEARCH", "missing", "FROMMEMBER", "x", "BYRADIUS", "200", "km");
        Same("GEORADIUSBYMEMBER", "missing", "x", "200", "km");
    }

    [SkippableFact]
    public void SearchByBox()
    {
        Sicily();
        foreach (var unit in Units)
        {
            string w = unit switch { "m" => "400000", "km" => "400", "ft" => "1312000", _ => "248" };
            string h = unit switch { "m" => "200000", "km" => "200", "ft" => "656000", _ => "124" };
            Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", w, h, unit, "ASC", "WITHDIST", "WITHCOORD");
            Same("GEOSEARCH", "Sicily", "FROMMEMBER", "Palermo", "BYBOX", w, h, unit, "DESC", "WITHHASH");
        }
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "100", "100", "km", "WITHDIST");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "4000", "4000", "km", "COUNT", "3");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "0", "0", "km");
        Same("GEOSEARCH", "Sicily", "FROMMEMBER", "Catania", "BYBOX", "1", "1", "m", "WITHCOORD");
    }

    [SkippableFact]
    public void Store()
    {
        Sicily();
        Same("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC");
        Same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        Same("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST");
        Same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        Same("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "COUNT", "2", "DESC", "STOREDIST");
        Same("ZRANGE", "dst", "0", "-1", "WITHSCORES");
        Same("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km");
        Same("EXISTS", "dst");
        Same("SET", "dst", "x");
        Same("GEOSEARCHSTORE", "dst", "missing", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km");
        Same("EXISTS", "dst");
        Same("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "r1");
        Same("ZRANGE", "r1", "0", "-1", "WITHSCORES");
        Same("GEORADIUSBYMEMBER", "Sicily", "Palermo", "200", "km", "STOREDIST", "r2");
        Same("ZRANGE", "r2", "0", "-1", "WITHSCORES");
        Same("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "r1", "WITHDIST");
        Same("GEOSEARCHSTORE", "dst", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "WITHDIST");
        Same("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "r1");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STORE", "r1");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "STOREDIST");
    }

    [SkippableFact]
    public void SearchErrors() => SameEach(
        "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
        "GEOSEARCH Sicily FROMLONLAT 15 37", "GEOSEARCH Sicily BYRADIUS 10 km ASC", "geosearch Sicily BYRADIUS 10 km WITHDIST",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km BYBOX 1 1 km", "GEOSEARCH Sicily FROMMEMBER Palermo FROMLONLAT 1 2 BYRADIUS 1 m",
        "GEOSEARCH Sicily FROMMEMBER nope BYRADIUS 10 km", "GEORADIUSBYMEMBER Sicily nope 10 km",
        "GEOSEARCH Sicily FROMLONLAT 200 10 BYRADIUS 10 km", "GEORADIUS Sicily 200 10 10 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 yd", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS x km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS -1 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX x 1 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 x km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX -1 1 km",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYBOX 1 1 parsec", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km COUNT 0",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km COUNT x", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km ANY",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km COUNT", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10 km bogus",
        "GEOSEARCH Sicily FROMLONLAT 15 BYRADIUS 10 km", "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 10",
        "GEOSEARCH missing FROMLONLAT 15 37 BYRADIUS 10 km ANY", "GEOSEARCH missing FROMMEMBER x BYRADIUS",
        "GEORADIUS Sicily 15 37 10 km COUNT -1", "GEORADIUS Sicily 15 37 10 km FROMLONLAT 1 2", "GEORADIUS Sicily 15 37",
        "GEORADIUS Sicily 15 37 10 km STORE", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37", "GEOSEARCHSTORE d Sicily FROMLONLAT 15 37 BYRADIUS 1 km STORE x");

    /// <summary>Members that ZADD wrote with scores GEOADD never makes still decode as Redis decodes them.</summary>
    [SkippableFact]
    public void ForeignScores() => SameEach(
        "ZADD junk 0 zero -1 neg 0.5 half 4503599627370495 top 4503599627370496 over 1e30 big -1e30 small inf pinf -inf ninf",
        "GEOPOS junk zero neg half top over big small pinf ninf", "GEOHASH junk zero neg half top over big small pinf ninf",
        "GEODIST junk zero top km", "GEODIST junk neg big", "GEOSEARCH junk FROMMEMBER zero BYRADIUS 100 km WITHHASH WITHCOORD",
        "GEOSEARCH junk FROMMEMBER top BYBOX 100 100 km WITHHASH", "GEOSEARCH junk FROMLONLAT 0 0 BYRADIUS 20000 km WITHDIST ASC");

    /// <summary>Arity, option case, the destination being the source, and STORE with COUNT/ANY.</summary>
    [SkippableFact]
    public void Miscellaneous() => SameEach(
        "GEOADD Sicily 13.361389 38.115556 Palermo 15.087269 37.502669 Catania 14.015 37.49 Caltanissetta",
        "GEOPOS Sicily", "GEOHASH Sicily", "GEOPOS", "GEODIST Sicily a", "GEOSEARCH Sicily FROMLONLAT 15 37", "GEOSEARCHSTORE d Sicily FROMLONLAT 15",
        "GEORADIUS Sicily 15 37 200", "GEORADIUSBYMEMBER Sicily Palermo 200", "GEOADD Sicily 1 2 a NX",
        "geosearch Sicily fromLonLat 15 37 byRadius 200 Km withDist Desc Count 2",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 9223372036854775807 WITHDIST",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km COUNT 2 ASC COUNT 1",
        "GEOSEARCH Sicily FROMLONLAT 15 37 BYRADIUS 200 km ASC DESC WITHDIST WITHDIST",
        "GEODIST Sicily Palermo Catania", "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 166274.1516 m WITHDIST",
        "GEOSEARCH Sicily FROMMEMBER Palermo BYRADIUS 166274.15 m WITHDIST",
        "GEORADIUS Sicily 15 37 200 km COUNT 1 ANY STORE r", "ZRANGE r 0 -1 WITHSCORES",
        "GEORADIUS Sicily 15 37 200 km COUNT 2 DESC STOREDIST r", "ZRANGE r 0 -1 WITHSCORES",
        "GEORADIUS Sicily 15 37 200 km STORE r STOREDIST r2", "EXISTS r r2", "ZRANGE r2 0 -1 WITHSCORES",
        "SET s x", "EXPIRE r 100", "GEORADIUS Sicily 15 37 200 km STORE r", "TTL r", "TYPE r",
        "GEORADIUS Sicily 15 37 200 km STORE s", "TYPE s",
        "WATCH w", "GEORADIUS Sicily 15 37 200 km STORE w", "MULTI", "PING", "EXEC",
        "WATCH w", "GEORADIUS Sicily 0 0 1 km STORE w", "MULTI", "PING", "EXEC",
        "GEOSEARCHSTORE Sicily Sicily FROMMEMBER Palermo BYRADIUS 100 km", "ZRANGE Sicily 0 -1 WITHSCORES",
        "GEOSEARCHSTORE Sicily Sicily FROMMEMBER Palermo BYRADIUS 100 km", "EXISTS Sicily");

    [SkippableFact]
    public void Resp3()
    {
        RequireRedis();
        Setup("HELLO", "3");
        Sicily();
        Same("GEOPOS", "Sicily", "Palermo", "nope");
        Same("GEODIST", "Sicily", "Palermo", "Catania", "km");
        Same("GEODIST", "Sicily", "Palermo", "nope");
        Same("GEOHASH", "Sicily", "Palermo", "nope");
        Same("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC", "WITHDIST", "WITHCOORD", "WITHHASH");
        Same("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHCOORD", "DESC");
        Same("GEOSEARCH", "missing", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
    }

    /// <summary>Many points around the world and near the poles and the antimeridian, searched at many radii.</summary>
    [SkippableFact]
    public void Worldwide()
    {
        RequireRedis();
        var rng = new Random(7);
        var args = new List<string> { "GEOADD", "world" };
        for (int i = 0; i < 300; i++)
        {
            args.Add((rng.NextDouble() * 360 - 180).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            args.Add((rng.NextDouble() * 170 - 85).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
            args.Add("p" + i);
        }
        Same([.. args]);
        string[] centres = ["0 0", "179.9 10", "-179.9 -10", "10 84", "-20 -84.9", "13.4 38.1", "100 45"];
        foreach (var centre in centres)
        {
            var lonLat = centre.Split(' ');
            foreach (var r in new[] { "10", "500", "2000", "8000", "20000" })
            {
                Same("GEOSEARCH", "world", "FROMLONLAT", lonLat[0], lonLat[1], "BYRADIUS", r, "km", "ASC", "WITHDIST");
                Same("GEOSEARCH", "world", "FROMLONLAT", lonLat[0], lonLat[1], "BYBOX", r, r, "km", "DESC", "WITHCOORD");
                Same("GEOSEARCH", "world", "FROMLONLAT", lonLat[0], lonLat[1], "BYRADIUS", r, "km");
            }
        }
        Same("GEOSEARCH", "world", "FROMMEMBER", "p5", "BYRADIUS", "3000", "km", "WITHHASH");
    }

    /// <summary>A dense cluster searched at many sizes, with COUNT and ANY: ANY shows the cell scan order, COUNT the partial sort.</summary>
    [SkippableFact]
    public void DenseCluster()
    {
        RequireRedis();
        var rng = new Random(11);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var args = new List<string> { "GEOADD", "dense" };
        for (int i = 0; i < 400; i++)
        {
            args.Add((13 + rng.NextDouble()).ToString("F6", inv));
            args.Add((38 + rng.NextDouble()).ToString("F6", inv));
            args.Add("m" + i);
        }
        Same([.. args]);
        foreach (var r in new[] { "0.5", "3", "12", "40", "150" })
        {
            Same("GEOSEARCH", "dense", "FROMLONLAT", "13.5", "38.5", "BYRADIUS", r, "km", "COUNT", "5", "ANY");
            Same("GEOSEARCH", "dense", "FROMLONLAT", "13.5", "38.5", "BYRADIUS", r, "km", "COUNT", "7", "WITHDIST");
            Same("GEOSEARCH", "dense", "FROMMEMBER", "m3", "BYBOX", r, r, "km", "COUNT", "4", "ANY", "DESC", "WITHDIST");
            Same("GEOSEARCH", "dense", "FROMMEMBER", "m3", "BYBOX", r, "1", "km", "WITHHASH");
            Same("GEORADIUS", "dense", "13.01", "38.99", r, "km", "WITHCOORD", "ASC");
            Same("GEOSEARCHSTORE", "out", "dense", "FROMLONLAT", "13.5", "38.5", "BYRADIUS", r, "mi", "COUNT", "20", "STOREDIST");
            Same("ZRANGE", "out", "0", "-1", "WITHSCORES");
        }
    }
}
