namespace TieredKv;

/// <summary>
/// A group's entries-read counter and lag, as Redis 7.0 derives them (streamRangeHasTombstones,
/// streamEstimateDistanceFromFirstEverEntry, streamReplyWithCGLag): exact while no deleted entry lies ahead.
/// </summary>
internal static class StreamLag
{
    public static bool RangeHasTombstones(StreamState s, long length, StreamId start, StreamId? end)
    {
        if (length == 0 || s.MaxDeletedId == StreamId.Min) return false;
        if (s.FirstId > s.MaxDeletedId) return false;
        var last = end ?? StreamId.Max;
        return start <= s.MaxDeletedId && s.MaxDeletedId <= last;
    }

    /// <summary>The logical read counter of <paramref name="id"/>, or <see cref="StreamGroup.UnknownEntriesRead"/>.</summary>
    public static long EstimateDistance(StreamState s, long length, StreamId id)
    {
        long added = (long)s.EntriesAdded;
        if (added == 0) return 0;
        if (length == 0 && id <= s.LastId) return added;
        int cmpLast = id.CompareTo(s.LastId);
        if (cmpLast == 0) return added;
        if (cmpLast > 0) return StreamGroup.UnknownEntriesRead;
        if (s.MaxDeletedId == StreamId.Min || s.MaxDeletedId < s.FirstId)
        {
            if (id < s.FirstId) return added - length;
            if (id == s.FirstId) return added - length + 1;
        }
        return StreamGroup.UnknownEntriesRead;
    }

    /// <summary>The group's lag, or null when it cannot be known.</summary>
    public static long? Lag(StreamState s, long length, StreamGroup g)
    {
        long added = (long)s.EntriesAdded;
        if (added == 0) return 0;
        if (g.EntriesRead != StreamGroup.UnknownEntriesRead && !RangeHasTombstones(s, length, g.LastDeliveredId, null))
            return added - g.EntriesRead;
        long read = EstimateDistance(s, length, g.LastDeliveredId);
        return read == StreamGroup.UnknownEntriesRead ? null : added - read;
    }

    /// <summary>The group after delivering <paramref name="id"/> (beyond its last delivered ID) as a new entry.</summary>
    public static StreamGroup Delivered(StreamState s, long length, StreamGroup g, StreamId id)
    {
        long read = g.EntriesRead;
        if (read != StreamGroup.UnknownEntriesRead && !RangeHasTombstones(s, length, id, null)) read++;
        else if (s.EntriesAdded != 0) read = EstimateDistance(s, length, id);
        return g with { LastDeliveredId = id, EntriesRead = read };
    }
}
