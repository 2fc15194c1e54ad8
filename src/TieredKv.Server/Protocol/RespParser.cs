using System.Buffers;
using System.Buffers.Text;

namespace TieredKv.Server.Protocol;

/// <summary>What one parse attempt found.</summary>
internal enum ParseStatus
{
    /// <summary>A whole command was parsed (it may have no arguments: an empty line or <c>*0</c>).</summary>
    Complete,

    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The input is not RESP; the error is Redis's and the connection must be closed.</summary>
    Error,
}

/// <summary>
/// Parses client requests straight from the receive buffer: RESP multibulk (<c>*N\r\n$len\r\n…</c>)
/// and inline commands (a line of space-separated words, with Redis's quoting). Lengths are
/// checked against the limits before anything is allocated for them.
/// </summary>
internal static class RespParser
{
    /// <summary>Redis's limit on a multibulk count (arguments are only stored as they arrive, never preallocated).</summary>
    public const int MaxMultibulkLength = int.MaxValue;

    /// <summary>Before AUTH, Redis refuses requests larger than this many arguments and bytes per argument.</summary>
    public const int MaxUnauthenticatedMultibulk = 10, MaxUnauthenticatedBulk = 16 * 1024;

    /// <summary>Longest inline request, and longest header line, as Redis's PROTO_INLINE_MAX_SIZE.</summary>
    public const int MaxInlineLength = 64 * 1024;

    public static ParseStatus TryParse(ref SequenceReader<byte> reader, CommandArgs args, long maxBulkLength, bool authenticated, out string? error)
    {
        error = null;
        args.Clear();
        var r = reader; // work on a copy: commit only a whole command
        if (!r.TryPeek(out byte first)) return ParseStatus.Incomplete;
        var status = first == (byte)'*' ? ParseMultibulk(ref r, args, maxBulkLength, authenticated, out error) : ParseInline(ref r, args, out error);
        if (status == ParseStatus.Complete) reader = r;
        return status;
    }

    /// <summary>A client that has yet to authenticate gets Redis's own errors for requests over the smaller limits, after the general checks.</summary>
    private static ParseStatus ParseMultibulk(ref SequenceReader<byte> r, CommandArgs args, long maxBulkLength, bool authenticated, out string? error)
    {
        error = null;
        r.Advance(1);
        bool complete = TryReadLine(ref r, out var header, out bool tooLong);
        if (tooLong) { error = "ERR Protocol error: too big mbulk count string"; return ParseStatus.Error; }
        if (!complete) return ParseStatus.Incomplete;
        if (!TryParseLong(header, out long count) || count > MaxMultibulkLength)
        {
            error = "ERR Protocol error: invalid multibulk length";
            return ParseStatus.Error;
        }
        if (!authenticated && count > MaxUnauthenticatedMultibulk)
        {
            error = "ERR Protocol error: unauthenticated multibulk length";
            return ParseStatus.Error;
        }
        for (long i = 0; i < count; i++)
        {
            if (!r.TryRead(out byte type)) return ParseStatus.Incomplete;
            if (type != (byte)'$')
            {
                error = $"ERR Protocol error: expected '$', got '{(char)type}'";
                return ParseStatus.Error;
            }
            complete = TryReadLine(ref r, out var lengthLine, out tooLong);
            if (tooLong) { error = "ERR Protocol error: too big bulk count string"; return ParseStatus.Error; }
            if (!complete) return ParseStatus.Incomplete;
            if (!TryParseLong(lengthLine, out long length) || length < 0 || length > maxBulkLength)
            {
                error = "ERR Protocol error: invalid bulk length";
                return ParseStatus.Error;
            }
            if (!authenticated && length > MaxUnauthenticatedBulk)
            {
                error = "ERR Protocol error: unauthenticated bulk length";
                return ParseStatus.Error;
            }
            if (r.Remaining < length + 2) return ParseStatus.Incomplete;
            r.TryCopyTo(args.Add((int)length));
            r.Advance(length + 2); // the value and its CRLF
        }
        return ParseStatus.Complete;
    }

    private static ParseStatus ParseInline(ref SequenceReader<byte> r, CommandArgs args, out string? error)
    {
        error = null;
        if (!r.TryReadTo(out ReadOnlySequence<byte> lineSequence, (byte)'\n'))
        {
            if (r.Remaining > MaxInlineLength) { error = "ERR Protocol error: too big inline request"; return ParseStatus.Error; }
            return ParseStatus.Incomplete;
        }
        var line = lineSequence.IsSingleSegment ? lineSequence.FirstSpan : lineSequence.ToArray();
        if (line.Length > MaxInlineLength) { error = "ERR Protocol error: too big inline request"; return ParseStatus.Error; }
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        if (!InlineSplitter.Split(line, args))
        {
            error = "ERR Protocol error: unbalanced quotes in request";
            return ParseStatus.Error;
        }
        return ParseStatus.Complete;
    }

    /// <summary>Reads up to CRLF; false when the line is not complete yet. Lines longer than the inline limit are refused.</summary>
    private static bool TryReadLine(ref SequenceReader<byte> r, out ReadOnlySpan<byte> line, out bool tooLong)
    {
        tooLong = false;
        line = default;
        if (!r.TryReadTo(out ReadOnlySequence<byte> sequence, "\r\n"u8))
        {
            tooLong = r.Remaining > MaxInlineLength;
            return false;
        }
        if (sequence.Length > MaxInlineLength) { tooLong = true; return false; }
        line = sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray();
        return true;
    }

    private static bool TryParseLong(ReadOnlySpan<byte> s, out long value) =>
        Utf8Parser.TryParse(s, out value, out int consumed) && consumed == s.Length && s.Length > 0;
}
