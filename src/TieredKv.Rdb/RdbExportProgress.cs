namespace TieredKv.Rdb;

/// <summary>How far an export has got: keys written and the bytes they took.</summary>
public readonly record struct RdbExportProgress(long Keys, long Bytes);
