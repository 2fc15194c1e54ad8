namespace TieredKv.Rdb.Streams;

/// <summary>The flags item of an entry inside a stream node (t_stream.c's STREAM_ITEM_FLAG_*).</summary>
internal static class StreamEntryFlags
{
    public const long None = 0;
    /// <summary>Removed by XDEL; it stays in the listpack until the node is rewritten.</summary>
    public const long Deleted = 1;
    /// <summary>The entry has exactly the master entry's fields, so only its values are stored.</summary>
    public const long SameFields = 2;
}
