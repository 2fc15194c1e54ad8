using TieredKv.Keyspace;
using TieredKv.Server.Dispatch;

namespace TieredKv.Server.Commands;

/// <summary>The HyperLogLog commands PFADD, PFCOUNT and PFMERGE, over strings in Redis's HLL format (<see cref="HyperLogLog"/>).</summary>
internal static class HyperLogLogCommands
{
    private const string NotHll = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private const string Corrupted = "INVALIDOBJ Corrupted HLL object detected";

    public static void Register(CommandTable t)
    {
        t.Add(new("pfadd", -2, CommandFlags.Write | CommandFlags.Fast, 1, 1, 1, PfAdd));
        t.Add(new("pfcount", -2, CommandFlags.ReadOnly, 1, -1, 1, PfCount));
        t.Add(new("pfmerge", -2, CommandFlags.Write, 1, -1, 1, PfMerge));
    }

    /// <summary>A stored value as a HyperLogLog, or Redis's WRONGTYPE error for any other string.</summary>
    private static HyperLogLog Open(byte[] value) =>
        HyperLogLog.IsValid(value) ? HyperLogLog.From(value) : throw new KvException(NotHll);

    private static void PfAdd(CommandContext c)
    {
        // As Redis: registers changed before a corrupted opcode is met stay changed, and the error follows.
        var (updated, corrupted) = c.Db.ModifyString<(bool, bool)>(c.Args[1], value =>
        {
            bool created = value == null;
            var hll = created ? HyperLogLog.CreateEmpty() : Open(value!);
            bool changed = created, failed = false;
            for (int i = 2; i < c.ArgCount && !failed; i++)
            {
                int result = hll.Add(c.Args[i]);
                if (result < 0) failed = true;
                else if (result == 1) changed = true;
            }
            if (changed && !failed) hll.InvalidateCache();
            return (changed ? hll.ToArray() : null, (changed, failed));
        });
        if (corrupted) throw new KvException(Corrupted);
        c.Reply.WriteInteger(updated ? 1 : 0);
    }

    private static void PfCount(CommandContext c)
    {
        if (c.ArgCount > 2)
        {
            // Several keys: the count of their union, nothing written.
            var max = new byte[HyperLogLog.Registers];
            for (int i = 1; i < c.ArgCount; i++)
            {
                var value = c.Db.Get(c.Args[i]);
                if (value == null) continue;
                if (!Open(value).MergeInto(max)) throw new KvException(Corrupted);
            }
            c.Reply.WriteInteger((long)HyperLogLog.CountRegisters(max));
            return;
        }
        // One key: the cached cardinality, recomputed and stored back when stale.
        long count = c.Db.ModifyString<long>(c.Args[1], value =>
        {
            if (value == null) return (null, 0L);
            var hll = Open(value);
            if (hll.CacheValid) return (null, (long)hll.CachedCardinality);
            ulong card = hll.Count() ?? throw new KvException(Corrupted);
            hll.SetCachedCardinality(card);
            return (hll.ToArray(), (long)card);
        });
        c.Reply.WriteInteger(count);
    }

    private static void PfMerge(CommandContext c)
    {
        // The destination is a source too; it keeps its expiry, as Redis changes it in place.
        var keys = c.ArgList(1);
        // Redis checks and merges the keys in order, so a key that is not an HLL string or is corrupted is
        // reported before a later key of another type; the atomic merge below reads them all before it looks at any.
        var scratch = new byte[HyperLogLog.Registers];
        foreach (var key in keys)
        {
            var value = c.Db.Get(key);
            if (value != null && !Open(value).MergeInto(scratch)) throw new KvException(Corrupted);
        }
        c.Db.StoreFromStrings(keys[0], keys, values =>
        {
            var max = new byte[HyperLogLog.Registers];
            bool dense = false;
            foreach (var value in values)
            {
                if (value == null) continue;
                var source = Open(value);
                dense |= source.IsDense;
                if (!source.MergeInto(max)) throw new KvException(Corrupted);
            }
            var destination = values[0] == null ? HyperLogLog.CreateEmpty() : HyperLogLog.From(values[0]!);
            if (dense && !destination.ToDense()) throw new KvException(Corrupted);
            destination.RaiseTo(max);
            destination.InvalidateCache();
            return destination.ToArray();
        }, keepExpiry: true);
        c.Reply.WriteOk();
    }
}
