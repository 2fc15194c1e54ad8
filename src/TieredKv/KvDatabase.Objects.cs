using TieredKv.Changes;
using TieredKv.Keyspace;
using TieredKv.Numbers;

namespace TieredKv;

/// <summary>What OBJECT and MEMORY report about a key: its type, size, tier and a sample of its elements.</summary>
/// <param name="Value">The value of a string; empty for collections.</param>
/// <param name="Count">The element count of a collection; 0 for strings.</param>
/// <param name="IsHot">Whether the key was in the hot tier when asked.</param>
/// <param name="Sampled">How many elements were read into <paramref name="SampledBytes"/> and <paramref name="LongestElement"/>.</param>
/// <param name="SampledBytes">Bytes of the sampled elements (fields and values).</param>
/// <param name="LongestElement">The longest field or value among the sampled elements.</param>
/// <param name="AllIntegers">Whether every sampled field parses as a 64-bit integer (intset eligibility of a set).</param>
public sealed record ObjectInfo(KeyType Type, byte[] Value, long Count, bool IsHot, int Sampled, long SampledBytes, int LongestElement, bool AllIntegers);

public sealed partial class KvDatabase
{
    /// <summary>
    /// Describes a live key for OBJECT and MEMORY, or null when it is missing. Reads at most
    /// <paramref name="samples"/> elements of a collection, in storage order; the tier is read
    /// before the lookup, which would promote a cold key.
    /// </summary>
    /// <remarks>OBJECT's lookup counts as a keyspace hit or miss, MEMORY USAGE's (<paramref name="countLookup"/> false) does not, as in Redis.</remarks>
    public ObjectInfo? ObjectInfo(ReadOnlySpan<byte> key, int samples, bool countLookup = true)
    {
        using var _ = LockKey(key);
        bool hot = _store.HotKeys.TryGet(Index, key, out var cached, touch: false) && cached != null;
        var metadata = countLookup ? ReadMetadata(key, touch: false) : GetMetadata(key, touch: false);
        if (metadata == null) return null;
        if (!metadata.IsCollection) return new ObjectInfo(metadata.Type, metadata.Value, 0, hot, 0, 0, 0, true);

        int sampled = 0, longest = 0;
        long bytes = 0;
        bool allIntegers = true;
        using var it = IterateElements(metadata);
        for (it.SeekToFirst(); it.Valid && sampled < samples; it.Next(), sampled++)
        {
            var field = it.Key[ElementPrefixLength..];
            var value = it.Value;
            bytes += field.Length + value.Length;
            longest = Math.Max(longest, metadata.Type is KeyType.Hash ? Math.Max(field.Length, value.Length) : field.Length);
            if (allIntegers && !RedisNumbers.TryParseInteger(field, out long unused)) allIntegers = false;
        }
        return new ObjectInfo(metadata.Type, [], metadata.Count, hot, sampled, bytes, longest, allIntegers);
    }

    /// <summary>
    /// Sets <paramref name="destination"/> atomically to a value computed from the string values of
    /// <paramref name="sources"/> (null for a missing source), as BITOP does: the destination loses
    /// any expiry, and is deleted when <paramref name="compute"/> returns an empty value. Any source
    /// of another type fails the whole operation (WRONGTYPE). Returns the stored length. With
    /// <paramref name="keepExpiry"/> an existing destination keeps its expiry (PFMERGE). The change is reported
    /// as <paramref name="changeEvent"/> (a string-class event: "set" for BITOP; "del" when deleted), or not at all when null.
    /// </summary>
    public long StoreFromStrings(byte[] destination, IReadOnlyList<byte[]> sources, Func<byte[]?[], byte[]> compute, bool keepExpiry = false, string? changeEvent = null)
    {
        using var _ = LockKeys(sources.Append(destination));
        var values = new byte[]?[sources.Count];
        for (int i = 0; i < sources.Count; i++) values[i] = ReadMetadata(sources[i], KeyType.String)?.Value;
        var result = compute(values);
        if (result.Length > MaxStringLength) throw new KvException("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        var existing = GetMetadata(destination);
        if (result.Length == 0)
        {
            if (existing != null) Commit(destination, existing, null);
            if (existing != null && changeEvent != null) Changed(destination, "del", KeyEventClass.Generic);
            return 0;
        }
        long expireAt = keepExpiry && existing != null ? existing.ExpireAtMs : 0;
        var after = new KeyMetadata { Type = KeyType.String, Value = result, ExpireAtMs = expireAt };
        Commit(destination, existing, after);
        if (changeEvent != null) Changed(destination, existing, after, changeEvent, KeyEventClass.String);
        return result.Length;
    }
}
