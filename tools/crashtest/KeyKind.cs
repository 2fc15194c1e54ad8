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
}

internal static class KeyKinds
{
    public static readonly KeyKind[] All = Enum.GetValues<KeyKind>();

    public static char Letter(KeyKind kind) => "schlzt"[(int)kind];
}
