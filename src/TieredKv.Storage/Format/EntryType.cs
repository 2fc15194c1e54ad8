namespace TieredKv.Storage.Format;

/// <summary>The kind of an entry, stored in the low byte of an internal key's trailer. Values are part of the on-disk format.</summary>
public enum EntryType : byte
{
    Deletion = 0,
    Value = 1,

    /// <summary>Deletes every key in [key, value) older than this entry. Appears in write batches only.</summary>
    RangeDeletion = 2,
}
