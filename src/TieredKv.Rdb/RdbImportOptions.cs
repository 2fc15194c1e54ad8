namespace TieredKv.Rdb;

/// <summary>How <see cref="RdbImporter"/> treats keys.</summary>
public sealed record RdbImportOptions
{
    /// <summary>Replace keys that exist in the store (otherwise they are skipped with a reason).</summary>
    public bool Replace { get; init; } = true;

    /// <summary>
    /// Read the whole file once to check its structure and CRC-64 before writing anything (needs a seekable
    /// stream). Without it, keys before a damaged spot are imported before the damage is found.
    /// </summary>
    public bool VerifyFirst { get; init; } = true;
}
