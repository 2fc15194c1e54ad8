using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv.Keyspace;

/// <summary>
/// Which storage slot (the database byte of every engine key) each database number names: SWAPDB
/// exchanges two numbers' slots in O(1) and writes the whole map as one record (format-spec/keyspace.md,
/// "Database map"). Without the record every number is its own slot.
/// </summary>
internal static class DatabaseMap
{
    /// <summary>The engine key of the map: one tag byte, outside every database's ranges, so FLUSHDB never drops it.</summary>
    public static readonly byte[] Key = [KeyCodec.DatabaseMapTag];

    /// <summary>Slots for all 256 possible numbers: the map stays a permutation whatever the configured database count.</summary>
    public const int Size = 256;

    /// <summary>The stored map (number → slot), or the identity when none was ever written.</summary>
    /// <exception cref="InvalidDataException">The record is not a permutation of 0…255.</exception>
    public static byte[] Read(Db engine)
    {
        var raw = engine.Get(Key);
        if (raw == null) return Identity();
        if (raw.Length != Size) throw new InvalidDataException($"database map record has {raw.Length} bytes, expected {Size}");
        var seen = new bool[Size];
        foreach (byte slot in raw)
        {
            if (seen[slot]) throw new InvalidDataException($"database map names slot {slot} twice");
            seen[slot] = true;
        }
        return raw;
    }

    public static void Write(Db engine, byte[] map)
    {
        var batch = new WriteBatch();
        batch.Put(Key, map);
        engine.Write(batch);
    }

    private static byte[] Identity()
    {
        var map = new byte[Size];
        for (int i = 0; i < Size; i++) map[i] = (byte)i;
        return map;
    }
}
