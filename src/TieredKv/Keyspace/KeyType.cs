namespace TieredKv.Keyspace;

/// <summary>The type of a key's value, as Redis's TYPE names it. Values are part of the on-disk format.</summary>
public enum KeyType : byte
{
    None = 0,
    String = 1,
    List = 2,
    Set = 3,
    SortedSet = 4,
    Hash = 5,
    Stream = 6,
}

/// <summary>Redis names of <see cref="KeyType"/> values.</summary>
public static class KeyTypeNames
{
    public static string Name(KeyType type) => type switch
    {
        KeyType.String => "string",
        KeyType.List => "list",
        KeyType.Set => "set",
        KeyType.SortedSet => "zset",
        KeyType.Hash => "hash",
        KeyType.Stream => "stream",
        _ => "none",
    };

    public static bool TryParse(ReadOnlySpan<char> name, out KeyType type)
    {
        foreach (var t in new[] { KeyType.String, KeyType.List, KeyType.Set, KeyType.SortedSet, KeyType.Hash, KeyType.Stream })
            if (name.Equals(Name(t), StringComparison.OrdinalIgnoreCase))
            {
                type = t;
                return true;
            }
        type = KeyType.None;
        return false;
    }
}
