using TieredKv.Storage.IO;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Log;

/// <summary>Reads framed records from a log file front to back, classifying damage as torn tail or corruption.</summary>
/// <remarks>
/// The file is streamed through a buffer that grows only to the largest record actually present, so a
/// damaged length field can never cause an allocation beyond the file's size.
/// When a record is damaged, the reader scans forward byte by byte for the next offset where a complete
/// record with a valid checksum starts. If there is none, the damage is a torn tail (what a crash leaves at the
/// end of the last file); otherwise it is corruption, and the next <see cref="ReadNext"/> resumes at that record.
/// Scanning garbage costs O(n) checksum work per candidate offset whose length field fits in the rest of the file.
/// </remarks>
internal sealed class LogReader
{
    private const int MinBufferSize = 64 * 1024;

    private readonly IRandomAccessFile _file;
    private readonly long _fileLength;
    private byte[] _buffer = new byte[MinBufferSize];
    private long _bufferOffset;
    private int _bufferLength;
    private long _position;
    private int _payloadStart;
    private int _payloadLength;

    /// <summary>Reads <paramref name="file"/> (not owned) from <paramref name="startOffset"/> to its length at construction.</summary>
    public LogReader(IRandomAccessFile file, long startOffset = 0)
    {
        _file = file;
        _fileLength = file.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(startOffset, _fileLength);
        _position = startOffset;
    }

    public string Path => _file.Path;

    public long FileLength => _fileLength;

    /// <summary>Where the next read starts: after the last record returned, or after the last damage reported.</summary>
    public long Position => _position;

    /// <summary>Offset of the record last returned.</summary>
    public long RecordOffset { get; private set; }

    /// <summary>The first byte after the record last returned.</summary>
    public long RecordEnd => RecordOffset + LogFormat.HeaderSize + _payloadLength;

    /// <summary>Payload of the record last returned; valid until the next <see cref="ReadNext"/>.</summary>
    public ReadOnlySpan<byte> Payload => _buffer.AsSpan(_payloadStart, _payloadLength);

    /// <summary>The damage last reported by <see cref="LogReadStatus.TornTail"/> or <see cref="LogReadStatus.Damage"/>.</summary>
    public LogDamage Damage { get; private set; }

    /// <summary>Reads the record at <see cref="Position"/>, or classifies the damage found there.</summary>
    public LogReadStatus ReadNext()
    {
        if (_position >= _fileLength) return LogReadStatus.EndOfFile;

        long offset = _position;
        string? reason = CheckRecordAt(offset);
        if (reason is null)
        {
            RecordOffset = offset;
            _position = RecordEnd;
            return LogReadStatus.Record;
        }

        long next = FindNextRecord(offset + 1);
        if (next < 0)
        {
            Damage = new LogDamage(offset, _fileLength - offset, reason);
            _position = _fileLength;
            return LogReadStatus.TornTail;
        }
        Damage = new LogDamage(offset, next - offset, reason);
        _position = next;
        return LogReadStatus.Damage;
    }

    /// <summary>Returns null and sets the payload window if a valid record starts at <paramref name="offset"/>, else why not.</summary>
    private string? CheckRecordAt(long offset)
    {
        long available = _fileLength - offset;
        if (available < LogFormat.HeaderSize)
            return $"record header cut short ({available} of {LogFormat.HeaderSize} bytes present)";

        ReadOnlySpan<byte> header = Load(offset, LogFormat.HeaderSize);
        uint length = Coding.ReadFixed32(header);
        uint storedCrc = Coding.ReadFixed32(header[4..]);
        if (length > LogFormat.MaxPayloadLength)
            return $"payload length {length} exceeds the maximum of {LogFormat.MaxPayloadLength}";
        if (length > available - LogFormat.HeaderSize)
            return $"payload length {length} runs past the end of the file ({available - LogFormat.HeaderSize} bytes present)";

        ReadOnlySpan<byte> record = Load(offset, LogFormat.HeaderSize + (int)length);
        if (LogFormat.MaskedCrc(record[..4], record[LogFormat.HeaderSize..]) != storedCrc)
            return "checksum mismatch";

        _payloadStart = (int)(offset - _bufferOffset) + LogFormat.HeaderSize;
        _payloadLength = (int)length;
        return null;
    }

    /// <summary>The first offset at or after <paramref name="from"/> where a valid record starts, or -1.</summary>
    private long FindNextRecord(long from)
    {
        for (long offset = from; offset <= _fileLength - LogFormat.HeaderSize; offset++)
        {
            // Cheap pre-check on the length field before paying for a checksum.
            uint length = Coding.ReadFixed32(Load(offset, 4));
            if (length > LogFormat.MaxPayloadLength || length > _fileLength - offset - LogFormat.HeaderSize) continue;
            if (CheckRecordAt(offset) is null) return offset;
        }
        return -1;
    }

    /// <summary>Makes bytes [offset, offset + count) of the file available in the buffer and returns them.</summary>
    private ReadOnlySpan<byte> Load(long offset, int count)
    {
        if (offset < _bufferOffset || offset + count > _bufferOffset + _bufferLength)
        {
            if (count > _buffer.Length)
                _buffer = new byte[Math.Max(count, (int)Math.Min(2L * _buffer.Length, _fileLength - offset))];
            int want = (int)Math.Min(_buffer.Length, _fileLength - offset);
            int read = _file.Read(offset, _buffer.AsSpan(0, want));
            _bufferOffset = offset;
            _bufferLength = read;
            if (read < count)
                throw new IOException($"{System.IO.Path.GetFileName(_file.Path)} shrank while being read (expected {count} bytes at offset {offset}, got {read})");
        }
        return _buffer.AsSpan((int)(offset - _bufferOffset), count);
    }
}
