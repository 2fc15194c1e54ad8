namespace TieredKv.Types.SortedSets;

/// <summary>One end of a score range (ZCOUNT, ZRANGEBYSCORE): a value, inclusive unless <see cref="Exclusive"/> (Redis's <c>(</c> prefix).</summary>
public readonly record struct ScoreBound(double Value, bool Exclusive = false)
{
    public static ScoreBound NegativeInfinity => new(double.NegativeInfinity);
    public static ScoreBound PositiveInfinity => new(double.PositiveInfinity);

    /// <summary>Whether <paramref name="score"/> is on the right side of this bound taken as a minimum.</summary>
    public bool AllowsAsMin(double score) => Exclusive ? score > Value : score >= Value;

    /// <summary>Whether <paramref name="score"/> is on the right side of this bound taken as a maximum.</summary>
    public bool AllowsAsMax(double score) => Exclusive ? score < Value : score <= Value;
}
