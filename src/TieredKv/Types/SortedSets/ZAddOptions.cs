namespace TieredKv.Types.SortedSets;

/// <summary>ZADD's flags: NX/XX (add only / update only), GT/LT (update only upward / downward), CH (count changes too), INCR.</summary>
public sealed record ZAddOptions
{
    public static readonly ZAddOptions None = new();

    public bool Nx { get; init; }
    public bool Xx { get; init; }
    public bool Gt { get; init; }
    public bool Lt { get; init; }
    public bool Ch { get; init; }
    public bool Incr { get; init; }
}
