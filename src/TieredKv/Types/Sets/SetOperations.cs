using TieredKv.Changes;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

public static class SetOperations
{
    private static readonly Comparer<byte[]> ByteOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

    /// <summary>SADD: adds the members; returns how many were new.</summary>
    public static long SAdd(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        if (members.Count == 0) throw new KvException("ERR wrong number of arguments for 'sadd' command");
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Set);
        var set = metadata ?? db.NewCollection(KeyType.Set);
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        var seen = members.Count == 1 ? null : new HashSet<byte[]>(ByteArrayComparer.Instance); // one member cannot repeat
        long added = 0;
        foreach (var member in members)
        {
            if (seen?.Add(member) == false) continue;
            var subKey = KeyCodec.SubKey(db.Index, set.Version, member); // encoded once for the lookup and the write
            if (metadata != null && db.Engine.Get(subKey) != null) continue;
            batch.Put(subKey, []);
            added++;
        }
        if (added == 0) return 0;
        db.Commit(key, metadata, set with { Count = set.Count + added }, batch, "sadd", KeyEventClass.Set);
        return added;
    }

    /// <summary>SREM: removes the members; returns how many existed. The key goes with its last member.</summary>
    public static long SRem(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Set);
        return metadata == null ? 0 : db.RemoveSubKeys(key, metadata, members, "srem", KeyEventClass.Set);
    }

    public static long SCard(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        return db.ReadMetadata(key, KeyType.Set)?.Count ?? 0;
    }

    public static bool SIsMember(this KvDatabase db, ReadOnlySpan<byte> key, ReadOnlySpan<byte> member)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Set);
        return metadata != null && db.GetElement(metadata, member) != null;
    }

    /// <summary>SMISMEMBER: membership of each member, in order.</summary>
    public static bool[] SMIsMember(this KvDatabase db, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> members)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Set);
        var result = new bool[members.Count];
        if (metadata != null)
            for (int i = 0; i < members.Count; i++) result[i] = db.GetElement(metadata, members[i]) != null;
        return result;
    }

    /// <summary>SMEMBERS: every member in byte order.</summary>
    public static List<byte[]> SMembers(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Set);
        return metadata == null ? [] : db.SetMembersOf(metadata);
    }

    /// <summary>SRANDMEMBER without a count: one random member, or null when the key is missing.</summary>
    public static byte[]? SRandMember(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        var picks = db.SRandMember(key, -1);
        return picks.Count == 0 ? null : picks[0];
    }

    /// <summary>SRANDMEMBER with a count: positive = that many distinct members (all when the set has no more), negative = |count| that may repeat.</summary>
    public static List<byte[]> SRandMember(this KvDatabase db, ReadOnlySpan<byte> key, long count)
    {
        if (count == long.MinValue) throw new KvException("ERR value is out of range");
        using var _ = db.LockKey(key);
        var metadata = db.ReadMetadata(key, KeyType.Set);
        if (metadata == null || count == 0) return [];
        return db.SampleSubKeys(metadata, count).ConvertAll(p => p.Field);
    }

    /// <summary>SPOP without a count: removes and returns one random member, or null when the key is missing.</summary>
    public static byte[]? SPop(this KvDatabase db, ReadOnlySpan<byte> key)
    {
        var popped = db.SPop(key, 1);
        return popped.Count == 0 ? null : popped[0];
    }

    /// <summary>SPOP with a count: removes and returns up to <paramref name="count"/> distinct random members.</summary>
    public static List<byte[]> SPop(this KvDatabase db, ReadOnlySpan<byte> key, long count)
    {
        if (count < 0) throw new KvException("ERR value is out of range, must be positive");
        using var _ = db.LockKey(key);
        var metadata = db.GetMetadata(key, KeyType.Set);
        if (metadata == null || count == 0) return [];
        var members = db.SampleSubKeys(metadata, count).ConvertAll(p => p.Field);
        db.RemoveSubKeys(key, metadata, members, "spop", KeyEventClass.Set);
        return members;
    }

    /// <summary>SMOVE: moves a member from one set to another atomically; false when the source lacks it.</summary>
    public static bool SMove(this KvDatabase db, byte[] source, byte[] destination, byte[] member)
    {
        using var _ = db.LockKeys([source, destination]);
        var fromSet = db.GetMetadata(source, KeyType.Set);
        if (fromSet == null) return false;
        var to = db.GetMetadata(destination, KeyType.Set);
        if (db.GetElement(fromSet, member) == null) return false;
        if (source.AsSpan().SequenceEqual(destination)) return true;

        using var lease = db.RentBatch();
        var batch = lease.Batch;
        batch.Delete(KeyCodec.SubKey(db.Index, fromSet.Version, member));
        var fromAfter = fromSet.Count == 1 ? null : fromSet with { Count = fromSet.Count - 1 };
        long delta = db.Stage(batch, source, fromSet, fromAfter);
        var set = to ?? db.NewCollection(KeyType.Set);
        var toAfter = set;
        if (to == null || db.GetElement(to, member) == null)
        {
            batch.Put(KeyCodec.SubKey(db.Index, set.Version, member), []);
            toAfter = set with { Count = set.Count + 1 };
        }
        delta += db.Stage(batch, destination, to, toAfter);
        db.Write(batch, delta);
        db.Publish(source, fromAfter);
        db.Publish(destination, toAfter);
        // As Redis's SMOVE: "srem" (and "del" when emptied) on the source, then "sadd" if the destination gained the member.
        db.Changed(source, fromSet, fromAfter, "srem", KeyEventClass.Set);
        if (!ReferenceEquals(toAfter, to)) db.Changed(destination, to, toAfter, "sadd", KeyEventClass.Set);
        return true;
    }

    /// <summary>SINTER: the members in every set (a missing key is an empty set), in byte order.</summary>
    public static List<byte[]> SInter(this KvDatabase db, IReadOnlyList<byte[]> keys)
    {
        using var _ = db.LockKeys(keys);
        return db.Intersect(db.ReadSets(keys, "sinter"), 0);
    }

    /// <summary>SINTERCARD: the size of the intersection, counting no further than <paramref name="limit"/> (0 = no limit).</summary>
    public static long SInterCard(this KvDatabase db, IReadOnlyList<byte[]> keys, long limit = 0)
    {
        if (limit < 0) throw new KvException("ERR LIMIT can't be negative");
        using var _ = db.LockKeys(keys);
        return db.Intersect(db.ReadSets(keys, "sintercard"), limit).Count;
    }

    /// <summary>SUNION: the members in any of the sets, in byte order.</summary>
    public static List<byte[]> SUnion(this KvDatabase db, IReadOnlyList<byte[]> keys)
    {
        using var _ = db.LockKeys(keys);
        return db.Union(db.ReadSets(keys, "sunion"));
    }

    /// <summary>SDIFF: the members of the first set in none of the others, in byte order.</summary>
    public static List<byte[]> SDiff(this KvDatabase db, IReadOnlyList<byte[]> keys)
    {
        using var _ = db.LockKeys(keys);
        return db.Difference(db.ReadSets(keys, "sdiff"));
    }

    /// <summary>SINTERSTORE: stores the intersection in <paramref name="destination"/> (replacing it; deleted when empty); returns its size.</summary>
    public static long SInterStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys)
    {
        using var _ = db.LockKeys(keys.Append(destination));
        return db.StoreSet(destination, db.Intersect(db.ReadSets(keys, "sinterstore"), 0), "sinterstore");
    }

    /// <summary>SUNIONSTORE: as <see cref="SInterStore"/> with the union.</summary>
    public static long SUnionStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys)
    {
        using var _ = db.LockKeys(keys.Append(destination));
        return db.StoreSet(destination, db.Union(db.ReadSets(keys, "sunionstore")), "sunionstore");
    }

    /// <summary>SDIFFSTORE: as <see cref="SInterStore"/> with the difference.</summary>
    public static long SDiffStore(this KvDatabase db, byte[] destination, IReadOnlyList<byte[]> keys)
    {
        using var _ = db.LockKeys(keys.Append(destination));
        return db.StoreSet(destination, db.Difference(db.ReadSets(keys, "sdiffstore")), "sdiffstore");
    }

    /// <summary>SSCAN: one step of a cursor over the members (see <see cref="KvDatabase.ScanElements"/>); a missing key ends at once.</summary>
    public static (ulong Cursor, List<byte[]> Members) SScan(this KvDatabase db, ReadOnlySpan<byte> key, ulong cursor, ReadOnlySpan<byte> pattern = default, int count = 10)
    {
        using var _ = db.LockKey(key);
        var (next, elements) = db.ScanElements(db.ReadMetadata(key, KeyType.Set), cursor, pattern, count);
        return (next, elements.ConvertAll(e => e.Field));
    }

    // ------------------------------------------------------------ set algebra (caller holds the keys)

    /// <summary>The metadata of each key (null = missing); every existing key must be a set, as Redis checks them all first.</summary>
    private static KeyMetadata?[] ReadSets(this KvDatabase db, IReadOnlyList<byte[]> keys, string command)
    {
        if (keys.Count == 0) throw new KvException($"ERR wrong number of arguments for '{command}' command");
        var sets = new KeyMetadata?[keys.Count];
        for (int i = 0; i < keys.Count; i++) sets[i] = db.ReadMetadata(keys[i], KeyType.Set);
        return sets;
    }

    private static List<byte[]> SetMembersOf(this KvDatabase db, KeyMetadata metadata)
    {
        var members = new List<byte[]>((int)Math.Min(metadata.Count, 1 << 16));
        using var it = db.IterateElements(metadata);
        for (it.SeekToFirst(); it.Valid; it.Next()) members.Add(it.Key[KvDatabase.ElementPrefixLength..].ToArray());
        return members;
    }

    /// <summary>Walks the smallest set and probes the others per member: O(smallest × sets).</summary>
    private static List<byte[]> Intersect(this KvDatabase db, KeyMetadata?[] sets, long limit)
    {
        var result = new List<byte[]>();
        if (sets.Any(s => s == null)) return result;
        var ordered = sets.Select(s => s!).OrderBy(s => s.Count).ToArray();
        using var it = db.IterateElements(ordered[0]);
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var member = it.Key[KvDatabase.ElementPrefixLength..];
            bool inAll = true;
            for (int i = 1; i < ordered.Length && inAll; i++)
                inAll = ordered[i].Version == ordered[0].Version || db.GetElement(ordered[i], member) != null;
            if (!inAll) continue;
            result.Add(member.ToArray());
            if (limit > 0 && result.Count >= limit) break;
        }
        return result;
    }

    private static List<byte[]> Union(this KvDatabase db, KeyMetadata?[] sets)
    {
        var union = new SortedSet<byte[]>(ByteOrder);
        foreach (var set in sets.Where(s => s != null).DistinctBy(s => s!.Version))
            union.UnionWith(db.SetMembersOf(set!));
        return [.. union];
    }

    private static List<byte[]> Difference(this KvDatabase db, KeyMetadata?[] sets)
    {
        var result = new List<byte[]>();
        var first = sets[0];
        if (first == null) return result;
        var others = sets.Skip(1).Where(s => s != null).Select(s => s!).ToArray();
        if (others.Any(s => s.Version == first.Version)) return result; // the first set named again: nothing is left
        using var it = db.IterateElements(first);
        for (it.SeekToFirst(); it.Valid; it.Next())
        {
            var member = it.Key[KvDatabase.ElementPrefixLength..];
            bool elsewhere = false;
            foreach (var other in others)
                if (elsewhere = db.GetElement(other, member) != null) break;
            if (!elsewhere) result.Add(member.ToArray());
        }
        return result;
    }

    /// <summary>Replaces <paramref name="destination"/> (of any type) with a new set of <paramref name="members"/>, or deletes it when there are none; returns the count.</summary>
    private static long StoreSet(this KvDatabase db, byte[] destination, List<byte[]> members, string changeEvent)
    {
        var existing = db.GetMetadata(destination);
        if (members.Count == 0)
        {
            if (existing != null) db.Commit(destination, existing, null, null, "del", KeyEventClass.Generic);
            return 0;
        }
        var set = db.NewCollection(KeyType.Set) with { Count = members.Count };
        using var lease = db.RentBatch();
        var batch = lease.Batch;
        foreach (var member in members) batch.Put(KeyCodec.SubKey(db.Index, set.Version, member), []);
        db.Commit(destination, existing, set, batch, changeEvent, KeyEventClass.Set);
        return members.Count;
    }
}
