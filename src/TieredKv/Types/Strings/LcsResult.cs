namespace TieredKv.Types.Strings;

/// <summary>An LCS: the common subsequence <see cref="Text"/> and the <see cref="Matches"/> that make it up, last first.</summary>
public sealed record LcsResult(byte[] Text, IReadOnlyList<LcsMatch> Matches)
{
    /// <summary>The length of the subsequence.</summary>
    public int Length => Text.Length;
}

/// <summary>One run of an LCS: bytes <see cref="AStart"/>..<see cref="AEnd"/> of the first string equal <see cref="BStart"/>..<see cref="BEnd"/> of the second (inclusive).</summary>
public readonly record struct LcsMatch(int AStart, int AEnd, int BStart, int BEnd)
{
    public int Length => AEnd - AStart + 1;
}
