namespace TieredKv.Storage.Inspection;

/// <summary>The outcome of <see cref="Verifier.VerifyDirectory"/>.</summary>
public sealed record VerifyReport
{
    public required IReadOnlyList<Corruption> Corruptions { get; init; }

    /// <summary>Damaged ends of logs with nothing valid after them (a crash during a write; recovery cuts them off).</summary>
    public required IReadOnlyList<Corruption> TornTails { get; init; }

    public int FilesChecked { get; init; }
    public long BytesChecked { get; init; }
    public long TableEntries { get; init; }
    public long LogRecords { get; init; }

    public bool IsClean(bool allowTornTails) => Corruptions.Count == 0 && (allowTornTails || TornTails.Count == 0);
}

/// <summary>How far a verification is: files and bytes done out of the totals, and the file being read.</summary>
public readonly record struct VerifyProgress(string CurrentFile, int FilesDone, int FileCount, long BytesDone, long TotalBytes);
