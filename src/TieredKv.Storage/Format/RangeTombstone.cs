namespace TieredKv.Storage.Format;

/// <summary>Deletes every user key in [<see cref="Begin"/>, <see cref="End"/>) written before <see cref="Sequence"/>.</summary>
public sealed record RangeTombstone(byte[] Begin, byte[] End, ulong Sequence)
{
    public bool Contains(ReadOnlySpan<byte> userKey) =>
        userKey.SequenceCompareTo(Begin) >= 0 && userKey.SequenceCompareTo(End) < 0;

    /// <summary>True when this tombstone hides version <paramref name="entrySequence"/> of <paramref name="userKey"/> from a reader at <paramref name="readSequence"/>.</summary>
    public bool Hides(ReadOnlySpan<byte> userKey, ulong entrySequence, ulong readSequence) =>
        entrySequence < Sequence && Sequence <= readSequence && Contains(userKey);

    /// <summary>True when [<paramref name="smallest"/>, <paramref name="largest"/>] (user keys, inclusive) meets this range.</summary>
    public bool Overlaps(ReadOnlySpan<byte> smallest, ReadOnlySpan<byte> largest) =>
        largest.SequenceCompareTo(Begin) >= 0 && smallest.SequenceCompareTo(End) < 0;
}

/// <summary>Helpers over a small list of range tombstones (they are meant for coarse ranges such as FLUSHDB).</summary>
internal static class RangeTombstones
{
    public static bool Hide(IReadOnlyList<RangeTombstone> tombstones, ReadOnlySpan<byte> userKey, ulong entrySequence, ulong readSequence)
    {
        for (int i = 0; i < tombstones.Count; i++)
            if (tombstones[i].Hides(userKey, entrySequence, readSequence)) return true;
        return false;
    }
}
