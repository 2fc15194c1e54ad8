using TieredKv.Storage.Format;

namespace TieredKv.Storage.IO;

/// <summary>The file operation a <see cref="FaultRule"/> breaks.</summary>
public enum FaultOperation
{
    /// <summary>Appending to a writable file: the rule may let part of the bytes through (a short write).</summary>
    Append,

    /// <summary>fsync of a writable file.</summary>
    Sync,

    /// <summary>Creating a file for writing.</summary>
    Create,

    /// <summary>A positional read: the rule throws, or corrupts the bytes returned.</summary>
    Read,

    Rename,
    Delete,
    SyncDirectory,
    Truncate,
}

/// <summary>
/// One fault for <see cref="FaultInjectingFileSystem"/>: which files (by kind or name), which
/// operation, when it starts (after N matching calls or N bytes) and whether it fires once or until
/// cleared. Test support: the engine never uses it.
/// </summary>
public sealed record FaultRule
{
    /// <summary>The default message: what a full disk reports (ENOSPC).</summary>
    public const string NoSpace = "No space left on device";

    public required FaultOperation Operation { get; init; }

    /// <summary>File kinds the rule applies to; null = every file.</summary>
    public IReadOnlySet<FileNames.Kind>? Kinds { get; init; }

    /// <summary>A substring the file name must contain; null = any name.</summary>
    public string? NameContains { get; init; }

    /// <summary>Matching calls let through before the fault starts.</summary>
    public int AfterCalls { get; init; }

    /// <summary>
    /// Appends only: bytes (over every matching file, from when the rule is added) let through before
    /// the fault; the append that crosses the limit writes its first part and then fails.
    /// </summary>
    public long AfterBytes { get; init; }

    /// <summary>Fires once then disarms; otherwise every matching call fails until the rule is removed.</summary>
    public bool Once { get; init; }

    /// <summary>Reads only: instead of throwing, flip a bit of the data returned (every byte at <see cref="CorruptFileOffset"/>, or the first byte of each read).</summary>
    public bool CorruptInsteadOfThrow { get; init; }

    /// <summary>Reads with <see cref="CorruptInsteadOfThrow"/>: the file offset whose byte is damaged; null = the first byte of every read.</summary>
    public long? CorruptFileOffset { get; init; }

    public string Message { get; init; } = NoSpace;

    public static FaultRule For(FaultOperation operation, params FileNames.Kind[] kinds) =>
        new() { Operation = operation, Kinds = kinds.Length == 0 ? null : kinds.ToHashSet() };

    internal bool Matches(FaultOperation operation, string path)
    {
        if (operation != Operation) return false;
        string name = Path.GetFileName(path);
        if (NameContains != null && !name.Contains(NameContains, StringComparison.Ordinal)) return false;
        return Kinds == null || Kinds.Contains(FileNames.Parse(name, out _));
    }
}
