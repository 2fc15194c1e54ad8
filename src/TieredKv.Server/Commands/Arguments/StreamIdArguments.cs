using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands.Arguments;

/// <summary>Parses stream IDs as Redis's streamGenericParseIDOrReply does, with its error.</summary>
internal static class StreamIdArguments
{
    public static KvException Invalid() => new("ERR Invalid stream ID specified as stream command argument");

    /// <summary>An ID, <c>-</c> (0-0) or <c>+</c> (the maximum); a bare ms gets <paramref name="missingSeq"/>.</summary>
    public static StreamId Parse(ReadOnlySpan<byte> text, ulong missingSeq)
    {
        if (text.Length == 1 && text[0] == '-') return StreamId.Min;
        if (text.Length == 1 && text[0] == '+') return StreamId.Max;
        return Strict(text, missingSeq);
    }

    /// <summary>As <see cref="Parse"/> refusing <c>-</c> and <c>+</c>.</summary>
    public static StreamId Strict(ReadOnlySpan<byte> text, ulong missingSeq)
    {
        if (text.Length > 127 || !StreamId.TryParse(text, missingSeq, out var id)) throw Invalid();
        return id;
    }

    public static StreamId Strict(CommandContext c, int index, ulong missingSeq = 0) => Strict(c.Args[index], missingSeq);

    /// <summary>XADD's ID: <c>*</c> (null), <c>ms-*</c> (seq not given) or a strict ID.</summary>
    public static (StreamId? Id, bool SeqGiven) ForAdd(ReadOnlySpan<byte> text)
    {
        if (text.Length == 1 && text[0] == '*') return (null, true);
        if (text.Length is > 2 and <= 127 && text[^1] == '*' && text[^2] == '-' && text.IndexOf((byte)'-') == text.Length - 2)
        {
            if (!StreamId.TryParse(text[..^2], 0, out var msOnly)) throw Invalid();
            return (msOnly, false);
        }
        return (Strict(text, 0), true);
    }

    /// <summary>A range bound of XRANGE/XPENDING: with a leading <c>(</c> exclusive (then strict), else as <see cref="Parse"/>.</summary>
    public static StreamId Interval(ReadOnlySpan<byte> text, ulong missingSeq, out bool exclusive)
    {
        exclusive = text.Length > 1 && text[0] == '(';
        return exclusive ? Strict(text[1..], missingSeq) : Parse(text, missingSeq);
    }

    /// <summary>The start and end of a range, exclusive bounds moved inward, with Redis's errors.</summary>
    public static (StreamId Start, StreamId End) Range(ReadOnlySpan<byte> startText, ReadOnlySpan<byte> endText)
    {
        var start = Interval(startText, 0, out bool startExclusive);
        if (startExclusive) start = start.Successor() ?? throw new KvException("ERR invalid start ID for the interval");
        var end = Interval(endText, ulong.MaxValue, out bool endExclusive);
        if (endExclusive) end = end.Predecessor() ?? throw new KvException("ERR invalid end ID for the interval");
        return (start, end);
    }
}
