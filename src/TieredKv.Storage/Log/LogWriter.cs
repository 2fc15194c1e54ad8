using TieredKv.Storage.IO;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Log;

/// <summary>Frames records and appends them to a file, a group at a time (format-spec/wal.md).</summary>
/// <remarks>
/// One thread adds records and commits; <see cref="Sync"/> may be called from another thread (a periodic
/// timer) at the same time. After any failed write or fsync the writer refuses further use: the file may
/// hold a partial group, and after a failed fsync the kernel may already have dropped the dirty pages,
/// so retrying could acknowledge writes that are not durable.
/// </remarks>
internal sealed class LogWriter : IDisposable
{
    private readonly IWritableFile _file;
    private readonly ByteBuffer _pending = new(64 * 1024);
    private volatile Exception? _failure;
    private bool _closed;
    private long _goodLength;

    public LogWriter(IWritableFile file) => _file = file;

    public string Path => _file.Path;

    /// <summary>File length once everything added so far is committed.</summary>
    public long Length => _file.Length + _pending.Length;

    /// <summary>Bytes added but not yet committed.</summary>
    public int PendingBytes => _pending.Length;

    /// <summary>
    /// The file length after the last commit that succeeded (fsync included when asked for): every byte
    /// before it belongs to a whole record that was reported written. After a failure, cutting the file
    /// back to this length removes any partial group and any group whose commit failed.
    /// </summary>
    public long GoodLength => Interlocked.Read(ref _goodLength);

    /// <summary>A write or fsync failed: the writer refuses further use.</summary>
    public bool HasFailed => _failure is not null;

    /// <summary>Frames <paramref name="payload"/> into the pending group.</summary>
    public void AddRecord(ReadOnlySpan<byte> payload) => AddRecord(payload, default);

    /// <summary>Frames the concatenation of <paramref name="head"/> and <paramref name="tail"/> as one record's payload.</summary>
    public void AddRecord(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        ThrowIfUnusable();
        long payloadLength = (long)head.Length + tail.Length;
        if (payloadLength > LogFormat.MaxPayloadLength)
            throw new ArgumentException($"record payload of {payloadLength} bytes exceeds the maximum of {LogFormat.MaxPayloadLength}");

        Span<byte> record = _pending.Reserve(LogFormat.HeaderSize + (int)payloadLength);
        Span<byte> payload = record[LogFormat.HeaderSize..];
        head.CopyTo(payload);
        tail.CopyTo(payload[head.Length..]);
        Coding.WriteFixed32(record, (uint)payloadLength);
        Coding.WriteFixed32(record[4..], LogFormat.MaskedCrc(record[..4], payload));
    }

    /// <summary>Writes the pending group with one append and a flush to the OS, then fsyncs if <paramref name="sync"/>.</summary>
    public void Commit(bool sync)
    {
        ThrowIfUnusable();
        try
        {
            if (_pending.Length > 0)
            {
                _file.Append(_pending.Span);
                _file.Flush();
                _pending.Clear();
            }
            if (sync) _file.Sync();
            // Only a commit that fully succeeded moves the mark: a record whose fsync failed was reported as failed, so a cut removes it.
            Interlocked.Exchange(ref _goodLength, _file.Length);
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    /// <summary>Makes everything committed so far durable. Safe to call concurrently with <see cref="Commit"/>, not with <see cref="Close"/>.</summary>
    public void Sync()
    {
        ThrowIfUnusable();
        try
        {
            _file.Sync();
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    /// <summary>Commits what is pending (fsyncing if <paramref name="sync"/>) and closes the file. After a failure it only closes.</summary>
    public void Close(bool sync)
    {
        if (_closed) return;
        try
        {
            if (_failure is null) Commit(sync);
        }
        finally
        {
            _closed = true;
            _file.Dispose();
        }
    }

    /// <summary>Same as <see cref="Close"/> without fsync.</summary>
    public void Dispose() => Close(sync: false);

    private void ThrowIfUnusable()
    {
        // The failure first: a writer closed after failing still reports why it is unusable.
        if (_failure is { } failure)
            throw new IOException($"log {System.IO.Path.GetFileName(_file.Path)} is unusable after an earlier write or sync failure", failure);
        ObjectDisposedException.ThrowIf(_closed, this);
    }
}
