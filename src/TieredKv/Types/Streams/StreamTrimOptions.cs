namespace TieredKv;

/// <summary>How XADD and XTRIM trim: by length or by minimum ID.</summary>
public enum StreamTrimStrategy
{
    None,
    MaxLen,
    MinId,
}

/// <summary>
/// A trim request as Redis's streamAddTrimArgs: the strategy and its argument, whether it is approximate
/// (<c>~</c>: whole nodes only) and the most entries it may remove (0 = no limit; the caller applies Redis's
/// default of 100 × stream-node-max-entries for <c>~</c> without LIMIT).
/// </summary>
public sealed record StreamTrimOptions(StreamTrimStrategy Strategy, long MaxLen, StreamId MinId, bool Approximate, long Limit)
{
    public static StreamTrimOptions None { get; } = new(StreamTrimStrategy.None, 0, default, false, 0);
}
