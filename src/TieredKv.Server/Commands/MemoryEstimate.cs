using TieredKv.Keyspace;
using TieredKv.Server.Config;

namespace TieredKv.Server.Commands;

/// <summary>
/// MEMORY USAGE's estimate: what Redis would allocate for the key and its value (dict entry, key
/// sds, object header, encoded value), in jemalloc size classes. Collections extrapolate from a
/// sample of their elements.
/// </summary>
internal static class MemoryEstimate
{
    private const int DictEntry = 24, ObjectHeader = 16;

    public static long Bytes(int keyLength, ObjectInfo info, ServerOptions options) =>
        DictEntry + Allocation(Sds(keyLength, allowTiny: true)) + Value(info, options);

    private static long Value(ObjectInfo info, ServerOptions options)
    {
        if (info.Type == KeyType.String)
        {
            var encoding = ObjectCommands.EncodingName(info, options);
            if (encoding == "int") return ObjectHeader;
            if (encoding == "embstr") return Allocation(ObjectHeader + 3 + info.Value.Length + 1); // always an 8-bit sds header
            return ObjectHeader + Allocation(Sds(info.Value.Length));
        }
        if (info.Sampled == 0) return ObjectHeader;
        double average = (double)info.SampledBytes / info.Sampled;
        var perElement = ObjectCommands.EncodingName(info, options) switch
        {
            "listpack" or "intset" or "stream" => average + 4, // a stream's entries sit in listpacks too
            "quicklist" => average + 2,
            // Hash-table entries: a dict entry and one or two sds allocations each.
            _ => DictEntry + Allocation(Sds((int)Math.Ceiling(average))) + 16,
        };
        return ObjectHeader + Allocation((long)Math.Ceiling(perElement * info.Count) + 16);
    }

    /// <summary>An sds string's bytes: header by length class (a one-byte header below 32 bytes where Redis allows it), contents and the terminating zero.</summary>
    private static long Sds(long length, bool allowTiny = false) =>
        (allowTiny && length is > 0 and < 32 ? 1 : length < 256 ? 3 : length < 65536 ? 5 : 9) + length + 1;

    /// <summary>Rounds up to jemalloc's size classes: 8, then steps of 16 to 128, then four classes per doubling.</summary>
    internal static long Allocation(long size)
    {
        if (size <= 8) return 8;
        if (size <= 128) return (size + 15) & ~15L;
        long step = 1L << (61 - (int)long.LeadingZeroCount(size - 1));
        return (size + step - 1) & ~(step - 1);
    }
}
