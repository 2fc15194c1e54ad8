using System.Buffers.Binary;
using System.Globalization;

namespace TieredKv;

/// <summary>
/// A stream entry ID as Redis has it: milliseconds and a sequence number, both unsigned 64-bit, ordered
/// by (ms, seq). Its 16-byte big-endian form sorts bytewise in the same order, which is why it is the
/// form used inside engine keys.
/// </summary>
public readonly record struct StreamId(ulong Ms, ulong Seq) : IComparable<StreamId>
{
    public const int EncodedLength = 16;

    public static StreamId Min => new(0, 0);

    public static StreamId Max => new(ulong.MaxValue, ulong.MaxValue);

    public int CompareTo(StreamId other)
    {
        int byMs = Ms.CompareTo(other.Ms);
        return byMs != 0 ? byMs : Seq.CompareTo(other.Seq);
    }

    public static bool operator <(StreamId left, StreamId right) => left.CompareTo(right) < 0;

    public static bool operator >(StreamId left, StreamId right) => left.CompareTo(right) > 0;

    public static bool operator <=(StreamId left, StreamId right) => left.CompareTo(right) <= 0;

    public static bool operator >=(StreamId left, StreamId right) => left.CompareTo(right) >= 0;

    /// <summary>The next ID in order, or null after <see cref="Max"/>.</summary>
    public StreamId? Successor() =>
        Seq != ulong.MaxValue ? new StreamId(Ms, Seq + 1)
        : Ms != ulong.MaxValue ? new StreamId(Ms + 1, 0)
        : null;

    /// <summary>The previous ID in order, or null before <see cref="Min"/>.</summary>
    public StreamId? Predecessor() =>
        Seq != 0 ? new StreamId(Ms, Seq - 1)
        : Ms != 0 ? new StreamId(Ms - 1, ulong.MaxValue)
        : null;

    /// <summary>Writes the 16-byte big-endian form (ms, then seq).</summary>
    public void WriteBigEndian(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, Ms);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Seq);
    }

    public static StreamId ReadBigEndian(ReadOnlySpan<byte> source) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt64BigEndian(source[8..]));

    /// <summary>Redis's text form, <c>ms-seq</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Ms}-{Seq}");

    /// <summary>
    /// Parses the complete form <c>ms-seq</c> or a bare <c>ms</c> (sequence <paramref name="missingSeq"/>),
    /// as Redis's streamParseID does for explicit IDs; the special forms (<c>-</c>, <c>+</c>, <c>*</c>,
    /// <c>$</c>, <c>&gt;</c>, <c>(</c>) belong to the commands that accept them.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, ulong missingSeq, out StreamId id)
    {
        id = default;
        int dash = text.IndexOf((byte)'-');
        var msText = dash < 0 ? text : text[..dash];
        if (!TryParseUInt64(msText, out ulong ms)) return false;
        ulong seq = missingSeq;
        if (dash >= 0 && !TryParseUInt64(text[(dash + 1)..], out seq)) return false;
        id = new StreamId(ms, seq);
        return true;
    }

    // Redis reads both halves with string2ull, which falls back to strtoull: leading white space and a '+'
    // are accepted, then decimal digits only (leading zeros too), at most 64 bits.
    private static bool TryParseUInt64(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        int at = 0;
        while (at < text.Length && text[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\v' or (byte)'\f' or (byte)'\r') at++;
        if (at < text.Length && text[at] == '+') at++;
        var digits = text[at..];
        if (digits.IsEmpty) return false;
        foreach (byte b in digits)
        {
            if (b < '0' || b > '9') return false;
            if (value > ulong.MaxValue / 10) return false;
            ulong next = value * 10 + (ulong)(b - '0');
            if (next < value * 10) return false;
            value = next;
        }
        return true;
    }
}
