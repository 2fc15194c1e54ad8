using TieredKv.Keyspace;

namespace TieredKv.Types.SortedSets;

/// <summary>One end of a lexicographic range (ZRANGEBYLEX): <c>-</c>, <c>+</c>, <c>[member</c> (inclusive) or <c>(member</c> (exclusive).</summary>
public readonly record struct LexBound
{
    private LexBound(LexBoundKind kind, byte[] value)
    {
        Kind = kind;
        Value = value;
    }

    public LexBoundKind Kind { get; }

    /// <summary>The member bytes of an inclusive or exclusive bound; empty for the infinities.</summary>
    public byte[] Value { get; }

    public static LexBound Min => new(LexBoundKind.NegativeInfinity, []);
    public static LexBound Max => new(LexBoundKind.PositiveInfinity, []);
    public static LexBound Inclusive(byte[] member) => new(LexBoundKind.Inclusive, member);
    public static LexBound Exclusive(byte[] member) => new(LexBoundKind.Exclusive, member);

    /// <summary>Parses Redis's syntax.</summary>
    /// <exception cref="KvException">ERR min or max not valid string range item.</exception>
    public static LexBound Parse(ReadOnlySpan<byte> text)
    {
        if (text.Length == 1 && text[0] == (byte)'-') return Min;
        if (text.Length == 1 && text[0] == (byte)'+') return Max;
        if (text.Length >= 1 && text[0] == (byte)'[') return Inclusive(text[1..].ToArray());
        if (text.Length >= 1 && text[0] == (byte)'(') return Exclusive(text[1..].ToArray());
        throw new KvException("ERR min or max not valid string range item");
    }

    /// <summary>Whether <paramref name="member"/> is on the right side of this bound taken as a minimum.</summary>
    public bool AllowsAsMin(ReadOnlySpan<byte> member) => Kind switch
    {
        LexBoundKind.NegativeInfinity => true,
        LexBoundKind.PositiveInfinity => false,
        LexBoundKind.Inclusive => member.SequenceCompareTo(Value) >= 0,
        _ => member.SequenceCompareTo(Value) > 0,
    };

    /// <summary>Whether <paramref name="member"/> is on the right side of this bound taken as a maximum.</summary>
    public bool AllowsAsMax(ReadOnlySpan<byte> member) => Kind switch
    {
        LexBoundKind.NegativeInfinity => false,
        LexBoundKind.PositiveInfinity => true,
        LexBoundKind.Inclusive => member.SequenceCompareTo(Value) <= 0,
        _ => member.SequenceCompareTo(Value) < 0,
    };
}
