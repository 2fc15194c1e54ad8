using TieredKv.Keyspace;
using TieredKv.Types.HyperLogLog;

namespace TieredKv;

/// <summary>The HyperLogLog operations (Redis's hyperloglog.c): PFADD, PFCOUNT and PFMERGE over strings in Redis's HLL format.</summary>
public static class HyperLogLogOperations
{
    /// <summary>Whether a string value is in Redis's HyperLogLog format (OBJECT ENCODING calls it raw).</summary>
    public static bool IsHyperLogLog(byte[] value) => HyperLogLogSketch.IsValid(value);

    /// <summary>
    /// PFADD: adds <paramref name="elements"/> to the HyperLogLog at <paramref name="key"/>, creating it.
    /// True when a register changed or the key was created.
    /// </summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.InvalidHll"/>: a string in another format; <see cref="KvErrorKind.CorruptedHll"/>.</exception>
    public static bool PfAdd(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> elements)
    {
        // As Redis: registers changed before a corrupted opcode is met stay changed, and the error follows.
        var (updated, corrupted) = db.ModifyString<(bool, bool)>(key, value =>
        {
            bool created = value == null;
            var hll = created ? HyperLogLogSketch.CreateEmpty() : OpenHll(value!);
            bool changed = created, failed = false;
            for (int i = 0; i < elements.Count && !failed; i++)
            {
                int result = hll.Add(elements[i]);
                if (result < 0) failed = true;
                else if (result == 1) changed = true;
            }
            if (changed && !failed) hll.InvalidateCache();
            return (changed ? hll.ToArray() : null, (changed, failed));
        }, "pfadd");
        if (corrupted) throw CorruptedHll();
        return updated;
    }

    /// <summary>
    /// PFCOUNT: the estimated cardinality of one HyperLogLog (its cached value, recomputed and stored
    /// back when stale), or of the union of several (nothing written). Missing keys count as empty.
    /// </summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.InvalidHll"/>, <see cref="KvErrorKind.CorruptedHll"/>, <see cref="KvErrorKind.WrongType"/>.</exception>
    public static long PfCount(this KvDatabase db, IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0) throw new ArgumentException("PFCOUNT needs at least one key", nameof(keys));
        if (keys.Count > 1)
        {
            var max = new byte[HyperLogLogSketch.Registers];
            foreach (var key in keys)
            {
                var value = db.Get(key);
                if (value == null) continue;
                if (!OpenHll(value).MergeInto(max)) throw CorruptedHll();
            }
            return (long)HyperLogLogSketch.CountRegisters(max);
        }
        return db.ModifyString<long>(keys[0], value =>
        {
            db.CountReadLookup(value != null); // Redis's PFCOUNT looks its key up as a read
            if (value == null) return (null, 0L);
            var hll = OpenHll(value);
            if (hll.CacheValid) return (null, (long)hll.CachedCardinality);
            ulong card = hll.Count() ?? throw CorruptedHll();
            hll.SetCachedCardinality(card);
            return (hll.ToArray(), (long)card);
        });
    }

    /// <summary>
    /// PFMERGE: raises the registers of <paramref name="destination"/> (itself a source, created if
    /// missing, keeping its expiry) to the maximum over <paramref name="sources"/>.
    /// </summary>
    /// <exception cref="KvException"><see cref="KvErrorKind.InvalidHll"/>, <see cref="KvErrorKind.CorruptedHll"/>, <see cref="KvErrorKind.WrongType"/>.</exception>
    public static void PfMerge(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> sources)
    {
        var keys = new List<byte[]>(sources.Count + 1) { destination };
        keys.AddRange(sources);
        // Redis checks and merges the keys in order, so a key that is not an HLL string or is corrupted is
        // reported before a later key of another type; the atomic merge below reads them all before it looks at any.
        var scratch = new byte[HyperLogLogSketch.Registers];
        foreach (var key in keys)
        {
            // Not counted as a keyspace hit or miss: the merge below reads each key again, and counts it once.
            byte[]? value;
            using (db.LockKey(key)) value = db.GetMetadata(key, KeyType.String)?.Value;
            if (value != null && !OpenHll(value).MergeInto(scratch)) throw CorruptedHll();
        }
        db.StoreFromStrings(destination, keys, values =>
        {
            var max = new byte[HyperLogLogSketch.Registers];
            bool dense = false;
            foreach (var value in values)
            {
                if (value == null) continue;
                var source = OpenHll(value);
                dense |= source.IsDense;
                if (!source.MergeInto(max)) throw CorruptedHll();
            }
            var merged = values[0] == null ? HyperLogLogSketch.CreateEmpty() : HyperLogLogSketch.From(values[0]!);
            if (dense && !merged.ToDense()) throw CorruptedHll();
            merged.RaiseTo(max);
            merged.InvalidateCache();
            return merged.ToArray();
        }, keepExpiry: true, changeEvent: "pfadd");
    }

    /// <summary>PFSELFTEST: null when our HyperLogLog passes its self-test (<see cref="HyperLogLogSelfTest"/>), else what failed.</summary>
    public static string? SelfTest(int seed) => HyperLogLogSelfTest.Run(seed);

    /// <summary>PFDEBUG ENCODING: "sparse" or "dense".</summary>
    /// <exception cref="KvException">ERR The specified key does not exist; WRONGTYPE for another type or a string not in the HLL format.</exception>
    public static string PfDebugEncoding(this KvDatabase db, ReadOnlySpan<byte> key) => ExistingHll(db, key).IsDense ? "dense" : "sparse";

    /// <summary>PFDEBUG DECODE: the sparse opcodes as text (see <see cref="HyperLogLogSketch.DescribeSparse"/>).</summary>
    /// <exception cref="KvException">ERR HLL encoding is not sparse, and as <see cref="PfDebugEncoding"/>.</exception>
    public static string PfDebugDecode(this KvDatabase db, ReadOnlySpan<byte> key) =>
        ExistingHll(db, key).DescribeSparse() ?? throw new KvException("ERR HLL encoding is not sparse");

    /// <summary>PFDEBUG GETREG: the 16384 registers; a sparse value is converted to dense and stored so, as Redis does.</summary>
    public static byte[] PfDebugRegisters(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        var registers = new byte[HyperLogLogSketch.Registers];
        db.PfDebugToDense(key);
        if (!ExistingHll(db, key).MergeInto(registers)) throw CorruptedHll();
        return registers;
    }

    /// <summary>PFDEBUG TODENSE: converts a sparse value to dense (stored, keeping its expiry); true when it was sparse.</summary>
    public static bool PfDebugToDense(this KvDatabase db, ReadOnlySpan<byte> key) =>
        db.ModifyString(key, value =>
        {
            var hll = value == null ? throw NoSuchKey() : OpenHllOrWrongType(value);
            if (hll.IsDense) return (null, false);
            if (!hll.ToDense()) throw new KvException(KvErrorKind.InvalidHll, "the value is not a HyperLogLog string");
            return (hll.ToArray(), true);
        });

    private static HyperLogLogSketch ExistingHll(KvDatabase db, ReadOnlySpan<byte> key) =>
        OpenHllOrWrongType(db.Get(key) ?? throw NoSuchKey());

    /// <summary>PFDEBUG answers a string in another format as WRONGTYPE (Redis's isHLLObjectOrReply).</summary>
    private static HyperLogLogSketch OpenHllOrWrongType(byte[] value) =>
        HyperLogLogSketch.IsValid(value) ? HyperLogLogSketch.From(value) : throw new KvException("WRONGTYPE Key is not a valid HyperLogLog string value.");

    private static KvException NoSuchKey() => new("ERR The specified key does not exist");

    /// <summary>A stored value as a HyperLogLog, or the error for any other string.</summary>
    private static HyperLogLogSketch OpenHll(byte[] value) =>
        HyperLogLogSketch.IsValid(value) ? HyperLogLogSketch.From(value) : throw new KvException(KvErrorKind.InvalidHll, "the value is not a HyperLogLog string");

    private static KvException CorruptedHll() => new(KvErrorKind.CorruptedHll, "corrupted HyperLogLog registers");
}
