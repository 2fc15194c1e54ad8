using TieredKv.Keyspace;
using TieredKv.Rdb;

namespace TieredKv.Tools;

/// <summary>
/// Moves a value read from an RDB file or a DUMP payload into an <see cref="RdbWriter"/> or a new DUMP payload.
/// Elements are gathered first: a payload is held in memory anyway, and the count the reader announces is
/// missing for some encodings (quicklists), while both writers need the exact count up front.
/// </summary>
public static class RdbValueCopy
{
    /// <summary>Writes the key; false (nothing written) when it is an empty collection, which Redis refuses to load.</summary>
    public static bool WriteTo(RdbWriter writer, byte[] key, RdbValue value, long? expireAtUnixMs)
    {
        if (value.IsStream)
        {
            // The writer passes over the entries twice (node sizes come first in the format); a payload's stream reads once.
            var stream = value.Stream();
            var entries = stream.Entries().ToList();
            writer.WriteStream(key, entries, stream.Metadata, stream.Groups, expireAtUnixMs);
            return true;
        }
        if (value.Type == KeyType.String)
        {
            writer.WriteString(key, value.StringValue(), expireAtUnixMs);
            return true;
        }
        var elements = value.Elements().ToList();
        if (elements.Count == 0) return false;
        switch (value.Type)
        {
            case KeyType.Hash:
                writer.BeginHash(key, elements.Count, expireAtUnixMs);
                foreach (var e in elements) writer.AddHashField(e.Member, e.Value!);
                break;
            case KeyType.Set:
                writer.BeginSet(key, elements.Count, expireAtUnixMs);
                foreach (var e in elements) writer.AddSetMember(e.Member);
                break;
            case KeyType.List:
                writer.BeginList(key, elements.Count, expireAtUnixMs);
                foreach (var e in elements) writer.AddListItem(e.Member);
                break;
            case KeyType.SortedSet:
                writer.BeginSortedSet(key, elements.Count, expireAtUnixMs);
                foreach (var e in elements) writer.AddSortedSetMember(e.Member, e.Score);
                break;
            default:
                throw new InvalidOperationException($"no RDB encoding for {value.Type}");
        }
        return true;
    }

    /// <summary>The DUMP payload of the value, or null for an empty collection (RESTORE would refuse it; an empty stream is a value).</summary>
    public static byte[]? ToPayload(RdbValue value)
    {
        if (value.Type == KeyType.String) return DumpPayload.EncodeString(value.StringValue());
        if (value.IsStream)
        {
            var stream = value.Stream();
            var entries = stream.Entries().ToList();
            return DumpPayload.EncodeStream(entries, stream.Metadata, stream.Groups);
        }
        var elements = value.Elements().ToList();
        if (elements.Count == 0) return null;
        return value.Type switch
        {
            KeyType.Hash => DumpPayload.EncodeHash(elements.Count, elements.Select(e => new KeyValuePair<byte[], byte[]>(e.Member, e.Value!))),
            KeyType.Set => DumpPayload.EncodeSet(elements.Count, elements.Select(e => e.Member)),
            KeyType.List => DumpPayload.EncodeList(elements.Count, elements.Select(e => e.Member)),
            KeyType.SortedSet => DumpPayload.EncodeSortedSet(elements.Count, elements.Select(e => new KeyValuePair<byte[], double>(e.Member, e.Score))),
            _ => throw new InvalidOperationException($"no DUMP payload for {value.Type}"),
        };
    }
}
