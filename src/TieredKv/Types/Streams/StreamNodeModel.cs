using TieredKv.Numbers;

namespace TieredKv;

/// <summary>
/// Redis keeps a stream as a radix tree of listpack nodes, and approximate trimming (<c>MAXLEN ~</c>,
/// <c>MINID ~</c>) removes whole nodes only, so its result depends on where nodes begin. This models
/// that: an entry starts a new node when the tail node already holds stream-node-max-entries (100)
/// entries, live or deleted, or when its listpack would reach stream-node-max-bytes (4096). The byte
/// count follows listpack's encodings (integers in 1–9 bytes, strings with a 1, 2 or 5 byte header, a
/// back-length of 1–5 bytes) but not every in-place rewrite, so it can be a few bytes off.
/// </summary>
internal static class StreamNodeModel
{
    public const int MaxEntries = 100;
    public const int MaxBytes = 4096;

    private const int ListpackHeaderAndEnd = 6 + 1;

    /// <summary>Whether an entry of <paramref name="fieldsAndValues"/> starts a new node after the tail <paramref name="state"/>.</summary>
    public static bool StartsNode(StreamState state, IReadOnlyList<byte[]> fieldsAndValues)
    {
        if (state.TailNodeEntries == 0) return true;
        long total = 0;
        foreach (var item in fieldsAndValues) total += item.Length;
        return state.TailNodeBytes + total >= MaxBytes || state.TailNodeEntries >= MaxEntries;
    }

    /// <summary>The tail node's state after appending <paramref name="id"/>.</summary>
    public static StreamState Append(StreamState state, StreamId id, IReadOnlyList<byte[]> fieldsAndValues, bool nodeStart)
    {
        int pairs = fieldsAndValues.Count / 2;
        long bytes;
        StreamId master;
        ulong fieldsHash = FieldsHash(fieldsAndValues);
        if (nodeStart)
        {
            master = id;
            bytes = ListpackHeaderAndEnd + Integer(1) + Integer(0) + Integer(pairs) + Integer(0);
            for (int i = 0; i < fieldsAndValues.Count; i += 2) bytes += Element(fieldsAndValues[i]);
            bytes += EntryBytes(id, master, fieldsAndValues, sameFields: true);
        }
        else
        {
            master = state.TailNodeStart;
            fieldsHash = state.TailNodeFieldsHash;
            bytes = state.TailNodeBytes + EntryBytes(id, master, fieldsAndValues, sameFields: FieldsHash(fieldsAndValues) == fieldsHash);
        }
        return state with
        {
            TailNodeFieldsHash = fieldsHash,
            TailNodeStart = master,
            TailNodeEntries = nodeStart ? 1 : state.TailNodeEntries + 1,
            TailNodeLive = nodeStart ? 1 : state.TailNodeLive + 1,
            TailNodeBytes = (int)Math.Min(bytes, int.MaxValue),
        };
    }

    private static long EntryBytes(StreamId id, StreamId master, IReadOnlyList<byte[]> fieldsAndValues, bool sameFields)
    {
        int pairs = fieldsAndValues.Count / 2;
        long bytes = Integer(0) + Integer((long)(id.Ms - master.Ms)) + Integer((long)(id.Seq - master.Seq));
        if (!sameFields) bytes += Integer(pairs);
        for (int i = 0; i < fieldsAndValues.Count; i++)
            if (!sameFields || i % 2 == 1) bytes += Element(fieldsAndValues[i]);
        int lpCount = pairs + 3 + (sameFields ? 0 : pairs + 1);
        return bytes + Integer(lpCount);
    }

    /// <summary>A string element as listpack stores it: as an integer when it reads as one.</summary>
    private static long Element(byte[] value)
    {
        if (value.Length <= 20 && RedisNumbers.TryParseInteger(value, out long n)) return Integer(n);
        long encoded = value.Length < 64 ? 1 + value.Length : value.Length < 4096 ? 2 + value.Length : 5 + (long)value.Length;
        return encoded + BackLength(encoded);
    }

    private static long Integer(long v)
    {
        int encoded = v is >= 0 and <= 127 ? 1
            : v is >= -4096 and <= 4095 ? 2
            : v is >= short.MinValue and <= short.MaxValue ? 3
            : v is >= -(1 << 23) and < (1 << 23) ? 4
            : v is >= int.MinValue and <= int.MaxValue ? 5
            : 9;
        return encoded + BackLength(encoded);
    }

    // listpack's lpEncodeBacklen thresholds.
    private static int BackLength(long encoded) =>
        encoded <= 127 ? 1 : encoded < 16383 ? 2 : encoded < 2097151 ? 3 : encoded < 268435455 ? 4 : 5;

    /// <summary>FNV-1a over the field names with their lengths: tells whether an entry's fields are the node's master fields.</summary>
    private static ulong FieldsHash(IReadOnlyList<byte[]> fieldsAndValues)
    {
        ulong hash = 14695981039346656037UL;
        void Mix(byte b) => hash = (hash ^ b) * 1099511628211UL;
        for (int i = 0; i < fieldsAndValues.Count; i += 2)
        {
            var field = fieldsAndValues[i];
            for (int shift = 0; shift < 32; shift += 8) Mix((byte)(field.Length >> shift));
            foreach (byte b in field) Mix(b);
        }
        return hash;
    }
}
