namespace TieredKv.Types.SortedSets;

/// <summary>One ZSCAN step: the next cursor (0 when done) and the members with their scores.</summary>
public readonly record struct ZScanPage(ulong Cursor, IReadOnlyList<(byte[] Member, double Score)> Entries);
