using TieredKv.Keyspace;
using TieredKv.Types.Geo;
using TieredKv.Types.SortedSets;

namespace TieredKv;

/// <summary>
/// The geo operations (Redis's geo.c): positions stored as sorted-set members scored by their 52-bit
/// geohash, searched by scanning the score ranges of the nine cells around the centre.
/// </summary>
public static class GeoOperations
{
    /// <summary>GEOADD: adds or updates members at positions (NX, XX and CH as ZADD's); returns the count ZADD would.</summary>
    /// <exception cref="InvalidCoordinatesException">A position out of range (nothing is written).</exception>
    public static long GeoAdd(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<(GeoPosition Position, byte[] Member)> items, ZAddOptions? options = null)
    {
        var entries = new List<(double, byte[])>(items.Count);
        foreach (var (position, member) in items)
        {
            var p = GeoPosition.Checked(position.Longitude, position.Latitude);
            entries.Add((GeoHash.Score(p.Longitude, p.Latitude), member));
        }
        return db.ZAdd(key, entries, options).Count;
    }

    /// <summary>GEOPOS: each member's position (the centre of its geohash cell), null for a missing member.</summary>
    public static GeoPosition?[] GeoPos(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        var scores = db.ZMScore(key, members);
        var positions = new GeoPosition?[scores.Length];
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] is { } s) positions[i] = Decode(s);
        return positions;
    }

    /// <summary>GEODIST: the distance between two members in <paramref name="unit"/>, or null when either is missing.</summary>
    public static double? GeoDist(this KvDatabase db, ReadOnlySpan<byte> key, byte[] member1, byte[] member2, GeoUnit unit = GeoUnit.Meters)
    {
        var scores = db.ZMScore(key, [member1, member2]);
        if (scores[0] is not { } s1 || scores[1] is not { } s2) return null;
        var (lon1, lat1) = GeoHash.DecodeScore(s1);
        var (lon2, lat2) = GeoHash.DecodeScore(s2);
        return GeoHash.Distance(lon1, lat1, lon2, lat2) / GeoUnits.InMeters(unit);
    }

    /// <summary>GEOHASH: each member's 11-character base32 geohash, null for a missing member.</summary>
    public static string?[] GeoHashes(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        var scores = db.ZMScore(key, members);
        var hashes = new string?[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            if (scores[i] is not { } s) continue;
            var (lon, lat) = GeoHash.DecodeScore(s);
            hashes[i] = GeoHash.ToBase32(lon, lat);
        }
        return hashes;
    }

    /// <summary>GEOSEARCH (and GEORADIUS*): the members inside the request's shape; a missing key finds none.</summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.NoSuchMember"/>: <see cref="GeoSearchRequest.FromMember"/> is not in the set.</exception>
    public static List<GeoSearchResult> GeoSearch(this KvDatabase db, byte[] key, GeoSearchRequest request)
    {
        if (db.Resolve(key, request) is not { } shape) return [];
        var search = new GeoSearch(shape, request);
        db.ZVisitScoreRanges(key, search.ScoreRanges(), search.Visit);
        return search.Results();
    }

    /// <summary>
    /// GEOSEARCHSTORE (and GEORADIUS … STORE/STOREDIST): replaces <paramref name="destination"/> by a
    /// sorted set of the results, scored by geohash or, with <paramref name="storeDistance"/>, by distance
    /// (deleted when there are none); returns its size.
    /// </summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.NoSuchMember"/>: <see cref="GeoSearchRequest.FromMember"/> is not in the set.</exception>
    public static long GeoSearchStore(this KvDatabase db, byte[] destination, byte[] source, GeoSearchRequest request, bool storeDistance = false, string changeEvent = "geosearchstore")
    {
        if (db.Resolve(source, request) is not { } shape) return db.ZStore(destination, [], changeEvent);
        var search = new GeoSearch(shape, request);
        return db.ZVisitScoreRangesStore(destination, source, search.ScoreRanges(), search.Visit,
            () => [.. search.Results().Select(p => (p.Member, storeDistance ? p.Distance : p.Score))], changeEvent);
    }

    /// <summary>The shape to search, its centre moved to the <see cref="GeoSearchRequest.FromMember"/> member; null when the key is missing.</summary>
    private static GeoShape? Resolve(this KvDatabase db, byte[] key, GeoSearchRequest request)
    {
        if (db.MemberScore(key, member: null, out _) is null) return null;
        if (request.FromMember is not { } member) return request.Shape;
        if (db.MemberScore(key, member, out var score) != true) throw new KvException(KvErrorKind.NoSuchMember, "the FROMMEMBER member is not in the geo set");
        return request.Shape with { Center = Decode(score) };
    }

    /// <summary>
    /// The centre member's position for GEORADIUSBYMEMBER, read without counting a keyspace hit or miss (the search
    /// counts its lookup of the key once); null when the key or the member is missing.
    /// </summary>
    internal static GeoPosition? CentrePosition(this KvDatabase db, ReadOnlySpan<byte> key, byte[] member) =>
        db.MemberScore(key, member, out var score) == true ? Decode(score) : null;

    /// <summary>
    /// Whether the sorted set exists (null when it does not) and, given a <paramref name="member"/>, whether it holds
    /// it, with its score. Uncounted: see <see cref="CentrePosition"/>.
    /// </summary>
    private static bool? MemberScore(this KvDatabase db, ReadOnlySpan<byte> key, byte[]? member, out double score)
    {
        score = 0;
        using var _ = db.LockKey(key);
        if (db.GetMetadata(key, KeyType.SortedSet) is not { Count: > 0 } z) return null;
        if (member == null) return true;
        if (db.ReadScore(z, member) is not { } found) return false;
        score = found;
        return true;
    }

    private static GeoPosition Decode(double score)
    {
        var (lon, lat) = GeoHash.DecodeScore(score);
        return new GeoPosition(lon, lat);
    }
}
