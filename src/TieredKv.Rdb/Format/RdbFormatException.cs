namespace TieredKv.Rdb.Format;

/// <summary>An RDB file or DUMP payload is corrupt, truncated or uses something we cannot read; <see cref="Offset"/> is where the problem was found.</summary>
public sealed class RdbFormatException(long offset, string problem)
    : Exception($"{problem} (at byte offset {offset})")
{
    public long Offset { get; } = offset;
    public string Problem { get; } = problem;
}
