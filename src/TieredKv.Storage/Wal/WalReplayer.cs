using Microsoft.Extensions.Logging;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Wal;

/// <summary>Recovers the write batches of one WAL segment, repairing a torn tail and handling corruption per <see cref="WalRecoveryMode"/>.</summary>
/// <remarks>
/// A crash can only tear the end of the last segment, so that is repaired silently (with a warning): the file is
/// truncated to its last valid record. Anything else — damage followed by a valid record, a torn end of an
/// earlier segment, a record whose checksum is valid but whose content is malformed or out of sequence — means
/// acknowledged writes may be lost, so <see cref="WalRecoveryMode.Strict"/> refuses it and
/// <see cref="WalRecoveryMode.Salvage"/> skips it with an error in the log.
/// </remarks>
public static class WalReplayer
{
    /// <summary>Size of the WAL payload prefix: the first sequence number.</summary>
    public const int SequenceSize = 8;

    /// <summary>Applies every valid batch of the segment at <paramref name="path"/> in order.</summary>
    /// <exception cref="CorruptionException">Strict mode found damage other than a torn tail of the last segment.
    /// Batches before the damage have already been passed to <paramref name="apply"/>.</exception>
    public static WalReplayResult Replay(
        IFileSystem fs, string path, bool isLastSegment, WalRecoveryMode mode, ILogger logger,
        Action<ulong, WriteBatch> apply) =>
        Replay(fs, path, isLastSegment, mode, logger, previousLastSequence: 0, apply);

    /// <summary>
    /// As above, also requiring every batch to follow <paramref name="previousLastSequence"/> (the last sequence
    /// of earlier segments). With <paramref name="cutTornTail"/> false the torn tail is only reported
    /// (<see cref="WalReplayResult.TornTail"/>), for a caller that writes nothing until all of recovery has read.
    /// </summary>
    public static WalReplayResult Replay(
        IFileSystem fs, string path, bool isLastSegment, WalRecoveryMode mode, ILogger logger,
        ulong previousLastSequence, Action<ulong, WriteBatch> apply, bool cutTornTail = true)
    {
        string fileName = System.IO.Path.GetFileName(path);
        var skipped = new List<LogDamage>();
        ulong lastSequence = previousLastSequence;
        ulong lastApplied = 0;
        long operations = 0;
        int batches = 0;
        long validLength;
        LogDamage? tornTail = null;

        void OnDamage(LogDamage damage)
        {
            if (mode == WalRecoveryMode.Strict) throw new CorruptionException(path, damage.Offset, damage.Reason);
            WalLog.RangeSkipped(logger, fileName, damage.Offset, damage.End, damage.Length, damage.Reason);
            skipped.Add(damage);
        }

        using (IRandomAccessFile file = fs.OpenRandomAccess(path))
        {
            var reader = new LogReader(file);
            validLength = reader.FileLength;
            bool done = false;
            while (!done)
            {
                switch (reader.ReadNext())
                {
                    case LogReadStatus.Record:
                        string? problem = Decode(reader.Payload, lastSequence, out ulong firstSequence, out WriteBatch? batch);
                        if (problem is not null)
                        {
                            OnDamage(new LogDamage(reader.RecordOffset, reader.RecordEnd - reader.RecordOffset, problem));
                            break;
                        }
                        apply(firstSequence, batch!);
                        batches++;
                        operations += batch!.Count;
                        lastSequence = lastApplied = firstSequence + (ulong)batch.Count - 1;
                        break;

                    case LogReadStatus.Damage:
                        OnDamage(reader.Damage);
                        break;

                    case LogReadStatus.TornTail:
                        LogDamage damage = reader.Damage;
                        validLength = damage.Offset;
                        if (isLastSegment) tornTail = damage;
                        else OnDamage(damage with { Reason = $"torn end of a segment that is not the last ({damage.Reason})" });
                        done = true;
                        break;

                    default:
                        done = true;
                        break;
                }
            }
        }

        if (tornTail is { } torn && cutTornTail) CutTornTail(fs, path, torn, logger);
        if (skipped.Count > 0)
            WalLog.SalvageSummary(logger, fileName, skipped.Count, skipped.Sum(d => d.Length), string.Join("; ", skipped));

        return new WalReplayResult
        {
            Path = path,
            RecordsApplied = operations,
            BatchesApplied = batches,
            LastSequence = lastApplied,
            ValidLength = validLength,
            TornTailOffset = tornTail?.Offset,
            TornTailBytes = tornTail?.Length ?? 0,
            TornTail = tornTail,
            SkippedRanges = skipped,
        };
    }

    /// <summary>
    /// Truncates the segment to its last whole record, durably. It must be durable before the caller starts a
    /// new segment: otherwise a second crash would leave this torn end in what is then a non-last segment,
    /// which recovery rightly treats as corruption.
    /// </summary>
    internal static void CutTornTail(IFileSystem fs, string path, LogDamage torn, ILogger logger)
    {
        fs.TruncateFile(path, torn.Offset);
        WalLog.TornTailTruncated(logger, System.IO.Path.GetFileName(path), torn.Offset, torn.Length, torn.Reason);
    }

    /// <summary>Parses a WAL payload; returns null on success, otherwise why it is malformed.</summary>
    internal static string? Decode(ReadOnlySpan<byte> payload, ulong previousLastSequence, out ulong firstSequence, out WriteBatch? batch)
    {
        firstSequence = 0;
        batch = null;
        if (payload.Length < SequenceSize)
            return $"WAL payload of {payload.Length} bytes is shorter than its sequence number";
        firstSequence = Coding.ReadFixed64(payload);
        try
        {
            batch = WriteBatch.FromRepresentation(payload[SequenceSize..]);
        }
        catch (FormatException e)
        {
            return $"malformed write batch: {e.Message}";
        }
        if (batch.Count == 0)
            return "empty write batch";
        if (firstSequence == 0 || firstSequence > InternalKey.MaxSequence - (ulong)batch.Count + 1)
            return $"sequence {firstSequence} of a {batch.Count}-operation batch is out of range";
        if (firstSequence <= previousLastSequence)
            return $"first sequence {firstSequence} does not follow the previous record's last sequence {previousLastSequence}";
        return null;
    }
}
