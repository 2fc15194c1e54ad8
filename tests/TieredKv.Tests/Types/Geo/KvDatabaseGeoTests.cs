using System.Globalization;
using System.Text;
using TieredKv.Keyspace;
using TieredKv.Types.Geo;

namespace TieredKv.Tests.Types.Geo;

/// <summary>The geo operations through the library API, on Redis's documentation example (Palermo and Catania).</summary>
public sealed class KvDatabaseGeoTests : IDisposable
{
    private static readonly GeoPosition Palermo = new(13.361389, 38.115556);
    private static readonly GeoPosition Catania = new(15.087269, 37.502669);

    private readonly StoreFixture _f = new();
    private KvDatabase Db => _f.Db;

    public KvDatabaseGeoTests() =>
        Assert.Equal(2, Db.GeoAdd(B("Sicily"), [(Palermo, B("Palermo")), (Catania, B("Catania"))]));

    public void Dispose() => _f.Dispose();

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private static string S(byte[] b) => Encoding.UTF8.GetString(b);
    private static string F4(double d) => d.ToString("F4", CultureInfo.InvariantCulture);

    [Fact]
    public void GeoPos_GeoDist_GeoHashes_AsRedisDocumentsThem()
    {
        var positions = Db.GeoPos(B("Sicily"), [B("Palermo"), B("nowhere")]);
        Assert.Equal(13.36138933897018433, positions[0]!.Value.Longitude, 12);
        Assert.Equal(38.11555639549629859, positions[0]!.Value.Latitude, 12);
        Assert.Null(positions[1]);
        Assert.Equal("166274.1516", F4(Db.GeoDist(B("Sicily"), B("Palermo"), B("Catania"))!.Value));
        Assert.Equal("166.2742", F4(Db.GeoDist(B("Sicily"), B("Palermo"), B("Catania"), GeoUnit.Kilometers)!.Value));
        Assert.Null(Db.GeoDist(B("Sicily"), B("Palermo"), B("nowhere")));
        Assert.Equal(new string?[] { "sqc8b49rny0", "sqdtr74hyu0", null }, Db.GeoHashes(B("Sicily"), [B("Palermo"), B("Catania"), B("nowhere")]));
    }

    [Fact]
    public void GeoAdd_OutOfRange_ThrowsAndWritesNothing()
    {
        var e = Assert.Throws<InvalidCoordinatesException>(() => Db.GeoAdd(B("g"), [(new GeoPosition(1, 2), B("ok")), (new GeoPosition(200, 2), B("bad"))]));
        Assert.Equal(KvErrorKind.InvalidCoordinates, e.Kind);
        Assert.Equal(200, e.Longitude);
        Assert.Null(Db.GeoPos(B("g"), [B("ok")])[0]);
    }

    [Fact]
    public void GeoSearch_Circle_SortsByDistance_AndCountsImplyAscending()
    {
        var shape = GeoShape.Circle(new GeoPosition(15, 37), 200, GeoUnit.Kilometers);
        var all = Db.GeoSearch(B("Sicily"), new GeoSearchRequest { Shape = shape, Sort = GeoSort.Desc });
        Assert.Equal(["Palermo", "Catania"], all.Select(r => S(r.Member)));
        Assert.Equal("190.4424", F4(all[0].Distance));
        Assert.Equal("56.4413", F4(all[1].Distance));
        Assert.Equal(3479099956230698, (long)all[0].Score);

        var nearest = Db.GeoSearch(B("Sicily"), new GeoSearchRequest { Shape = shape, Count = 1 });
        Assert.Equal("Catania", S(Assert.Single(nearest).Member));
        Assert.Empty(Db.GeoSearch(B("missing"), new GeoSearchRequest { Shape = shape }));
    }

    [Fact]
    public void GeoSearch_FromMember_InABox()
    {
        var request = new GeoSearchRequest { Shape = GeoShape.Box(default, 400, 400, GeoUnit.Kilometers), FromMember = B("Palermo"), Sort = GeoSort.Asc };
        var found = Db.GeoSearch(B("Sicily"), request);
        Assert.Equal(["Palermo", "Catania"], found.Select(r => S(r.Member)));
        Assert.Equal(0, found[0].Distance, 6);

        var e = Assert.Throws<KvException>(() => Db.GeoSearch(B("Sicily"), request with { FromMember = B("Rome") }));
        Assert.Equal(KvErrorKind.NoSuchMember, e.Kind);
        Assert.Throws<KvException>(() => GeoShape.Circle(default, -1));
    }

    [Fact]
    public void GeoSearchStore_StoresHashesOrDistances_AndDeletesOnNoMatch()
    {
        var request = new GeoSearchRequest { Shape = GeoShape.Circle(new GeoPosition(15, 37), 100, GeoUnit.Kilometers) };
        Assert.Equal(1, Db.GeoSearchStore(B("near"), B("Sicily"), request));
        Assert.Equal("sqdtr74hyu0", Db.GeoHashes(B("near"), [B("Catania")])[0]);
        Assert.Equal(1, Db.GeoSearchStore(B("dist"), B("Sicily"), request, storeDistance: true));
        Assert.Equal("56.4413", F4(Db.ZScore(B("dist"), B("Catania"))!.Value));

        var nowhere = request with { Shape = GeoShape.Circle(new GeoPosition(0, 0), 1) };
        Assert.Equal(0, Db.GeoSearchStore(B("near"), B("Sicily"), nowhere));
        Assert.Equal(0, Db.ZCard(B("near")));
    }
}
