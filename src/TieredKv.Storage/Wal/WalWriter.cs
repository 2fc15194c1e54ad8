using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Wal;

/// <summary>Appends write batches to one WAL segment; a group of batches is committed with one write and at most one fsync.</summary>
/// <remarks>
/// The database's write leader calls <see cref="AddBatch(ulong, ReadOnlySpan{byte})"/> for every batch of its group, then
/// <see cref="Commit"/> once. <see cref="Sync"/> may run concurrently from a timer (<see cref="WalSyncPolicy.EverySec"/>).
/// </remarks>
public sealed class WalWriter : IDisposable
{
    private readonly LogWriter _log;
    private ulong _lastSequence;

    public WalWriter(IWritableFile file, ulong segmentNumber)
    {
        _log = new LogWriter(file);
        SegmentNumber = segmentNumber;
    }

    public ulong SegmentNumber { get; }

    public string Path => _log.Path;

    /// <summary>Segment length once everything added is committed.</summary>
    public long Length => _log.Length;

    /// <summary>Bytes added but not yet handed to the file by <see cref="Commit"/>.</summary>
    public int PendingBytes => _log.PendingBytes;

    /// <inheritdoc cref="LogWriter.GoodLength"/>
    public long GoodLength => _log.GoodLength;

    /// <inheritdoc cref="LogWriter.HasFailed"/>
    public bool HasFailed => _log.HasFailed;

    /// <summary>Last sequence number added to this segment, 0 if none.</summary>
    public ulong LastSequence => _lastSequence;

    /// <summary>Buffers one record holding <paramref name="batchRepresentation"/> whose operations get sequences from <paramref name="firstSequence"/>.</summary>
    /// <exception cref="ArgumentException">The batch is empty, or its sequences do not follow those already in the segment.</exception>
    public void AddBatch(ulong firstSequence, ReadOnlySpan<byte> batchRepresentation)
    {
        if (batchRepresentation.Length < 4)
            throw new ArgumentException("write batch representation shorter than its count", nameof(batchRepresentation));
        uint count = Coding.ReadFixed32(batchRepresentation);
        // Replay treats these as corruption, so refuse to write them.
        if (count == 0)
            throw new ArgumentException("empty write batch", nameof(batchRepresentation));
        if (firstSequence <= _lastSequence || firstSequence > InternalKey.MaxSequence - count + 1)
            throw new ArgumentException($"first sequence {firstSequence} of a {count}-operation batch does not follow {_lastSequence}", nameof(firstSequence));

        Span<byte> sequence = stackalloc byte[8];
        Coding.WriteFixed64(sequence, firstSequence);
        _log.AddRecord(sequence, batchRepresentation);
        _lastSequence = firstSequence + count - 1;
    }

    /// <inheritdoc cref="AddBatch(ulong, ReadOnlySpan{byte})"/>
    public void AddBatch(ulong firstSequence, WriteBatch batch) => AddBatch(firstSequence, batch.Representation);

    /// <summary>Writes every batch added since the last commit in one append, then fsyncs once if <paramref name="sync"/>.</summary>
    public void Commit(bool sync) => _log.Commit(sync);

    /// <summary>fsyncs what has been committed; safe to call concurrently with <see cref="Commit"/>.</summary>
    public void Sync() => _log.Sync();

    /// <summary>Commits anything pending, fsyncs if <paramref name="sync"/>, and closes the segment.</summary>
    public void Close(bool sync) => _log.Close(sync);

    /// <summary>Commits anything pending and closes the segment without fsync; call <see cref="Close"/> to choose.</summary>
    public void Dispose() => _log.Dispose();
}
