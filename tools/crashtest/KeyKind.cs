namespace TieredKv.CrashTest;

/// <summary>The type a writer's key always holds; it is part of the key's name, so a reader knows how to read it.</summary>
internal enum KeyKind
{
    String,
    Counter,
    Hash,
    List,
    SortedSet,
    Set,
    Stream,
}

internal static class KeyKinds
{
    public static readonly KeyKind[] All = Enum.GetValues<KeyKind>();

    private const string Letters = "schlztx";

    public static char Letter(KeyKind kind) => Letters[(int)kind];

    /// <summary>The kind a writer's key holds, from the letter in its name.</summary>
    public static KeyKind OfKey(string key) => All[Letters.IndexOf(key[key.IndexOf(':') + 1])];
}
