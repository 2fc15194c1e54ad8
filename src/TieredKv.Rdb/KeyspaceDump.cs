using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>DUMP and RESTORE of one key of the keyspace, through <see cref="DumpPayload"/>.</summary>
public static class KeyspaceDump
{
    /// <summary>The DUMP payload of a key's value (its expiry is not part of a payload, as in Redis).</summary>
    public static byte[] Encode(SnapshotKey key) => key.Type switch
    {
        KeyType.Stream => EncodeStream(key),
        KeyType.String => DumpPayload.EncodeString(key.StringValue()),
        KeyType.Hash => DumpPayload.EncodeHash(key.Count, key.HashFields()),
        KeyType.Set => DumpPayload.EncodeSet(key.Count, key.SetMembers()),
        KeyType.List => DumpPayload.EncodeList(key.Count, key.ListItems()),
        KeyType.SortedSet => DumpPayload.EncodeSortedSet(key.Count, key.SortedSetMembers()),
        _ => throw new ArgumentException($"key of type {key.Type} has no payload", nameof(key)),
    };

    private static byte[] EncodeStream(SnapshotKey key)
    {
        var (entries, metadata, groups) = Streams.StreamRdbMapping.ToRdb(key.StreamContents());
        return DumpPayload.EncodeStream(entries, metadata, groups);
    }

    /// <summary>DUMP: the payload of a live key, or null when it is absent or expired.</summary>
    public static byte[]? Dump(KvDatabase db, ReadOnlySpan<byte> key)
    {
        SnapshotKey? k = db.ReadKey(key);
        return k == null ? null : Encode(k);
    }

    /// <summary>
    /// RESTORE: checks in Redis's order — an existing key without <paramref name="replace"/> (BUSYKEY), then the
    /// payload's version and checksum, then its value ("Bad data format") — and only then writes the key.
    /// Returns whether the key exists afterwards (false when <paramref name="expireAtUnixMs"/> has already passed).
    /// </summary>
    /// <exception cref="KvException">BUSYKEY, or a <see cref="DumpPayloadException"/> with Redis's message.</exception>
    public static bool Restore(KvDatabase db, ReadOnlySpan<byte> key, byte[] payload, long? expireAtUnixMs, bool replace)
    {
        if (!replace && db.Exists(key)) throw new KvException("BUSYKEY Target key name already exists.");
        RdbValue value = DumpPayload.Decode(payload, readStreams: true);
        if (value.IsStream) return Streams.StreamRdbMapping.Import(value.Stream(), db, key, expireAtUnixMs, replace);
        using KeyImport import = db.BeginImport(key, value.Type, expireAtUnixMs, replace);
        RdbValueImport.CopyTo(value, import);
        return import.Complete();
    }
}
