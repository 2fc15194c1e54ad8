using TieredKv.Storage.Format;
using TieredKv.Storage.Log;

namespace TieredKv.Storage.Wal;

/// <summary>What replaying one WAL segment applied, dropped and repaired.</summary>
public sealed class WalReplayResult
{
    public required string Path { get; init; }

    /// <summary>Operations (puts, deletions, range deletions) applied, summed over all batches.</summary>
    public long RecordsApplied { get; init; }

    /// <summary>Write batches applied; each is one WAL record.</summary>
    public int BatchesApplied { get; init; }

    /// <summary>Last sequence number applied, 0 if nothing was.</summary>
    public ulong LastSequence { get; init; }

    /// <summary>Length of the segment after recovery: the end of the last well-framed record (a torn tail is cut off).</summary>
    public long ValidLength { get; init; }

    /// <summary>Where the torn tail of the last segment started (the file is truncated there), or null.</summary>
    public long? TornTailOffset { get; init; }

    /// <summary>Bytes of torn tail of the last segment dropped, 0 if none.</summary>
    public long TornTailBytes { get; init; }

    /// <summary>The torn tail of the last segment, or null; cut off unless the replay was asked not to.</summary>
    public LogDamage? TornTail { get; init; }

    /// <summary>Damaged ranges skipped in <see cref="WalRecoveryMode.Salvage"/> mode, in file order.</summary>
    public required IReadOnlyList<LogDamage> SkippedRanges { get; init; }
}
