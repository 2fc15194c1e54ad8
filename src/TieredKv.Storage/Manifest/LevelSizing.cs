namespace TieredKv.Storage.Manifest;

/// <summary>
/// The shape of the level tree that a <see cref="VersionSet"/> scores compactions against: how many levels,
/// when L0 is full (by file count), and the byte target of L1 and the growth factor of each deeper level.
/// </summary>
internal sealed record LevelSizing(int NumLevels, int L0CompactionTrigger, long MaxBytesForLevelBase, int LevelSizeMultiplier);
