using TieredKv.Types.SortedSets;

namespace TieredKv.Types.Geo;

/// <summary>One geo search in progress: the score ranges to read, the members found, and the results in order.</summary>
internal sealed class GeoSearch(GeoShape shape, GeoSearchRequest request)
{
    private readonly List<Found> _found = [];
    private readonly long _limit = request.Any ? request.Count : 0;

    private readonly record struct Found(byte[] Member, double Score, double Lon, double Lat, double Distance);

    /// <summary>
    /// The score ranges to read: those of the search cells in Redis's order, skipping empty cells and
    /// a cell equal to the one before it (huge radii make neighbours coincide).
    /// </summary>
    public List<(ScoreBound Min, ScoreBound Max)> ScoreRanges()
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

    /// <summary>Takes one member of a range; false once ANY has found enough.</summary>
    public bool Visit(byte[] member, double score)
    {
        var (lon, lat) = GeoHash.DecodeScore(score);
        if (GeoHash.Contains(shape, lon, lat, out double distance)) _found.Add(new Found(member, score, lon, lat, distance));
        return _limit == 0 || _found.Count < _limit;
    }

    /// <summary>The results sorted (stably: Redis's qsort is glibc's merge sort) and cut to COUNT, distances in the shape's unit.</summary>
    public List<GeoSearchResult> Results()
    {
        IEnumerable<Found> sorted = request.EffectiveSort switch
        {
            GeoSort.Asc => _found.OrderBy(p => p.Distance),
            GeoSort.Desc => _found.OrderByDescending(p => p.Distance),
            _ => _found,
        };
        if (request.Count != 0) sorted = sorted.Take((int)Math.Min(request.Count, int.MaxValue));
        double conversion = shape.Conversion;
        return [.. sorted.Select(p => new GeoSearchResult(p.Member, p.Distance / conversion, p.Score, new GeoPosition(p.Lon, p.Lat)))];
    }
}
