using TieredKv.Keyspace;

namespace TieredKv.Rdb;

/// <summary>Feeds a value read from an RDB file or DUMP payload into a <see cref="KeyImport"/>, element by element.</summary>
internal static class RdbValueImport
{
    public static void CopyTo(RdbValue value, KeyImport import)
    {
        switch (value.Type)
        {
            case KeyType.String: import.SetString(value.StringValue()); break;
            case KeyType.Hash: foreach (var e in value.Elements()) import.AddHashField(e.Member, e.Value); break;
            case KeyType.Set: foreach (var e in value.Elements()) import.AddSetMember(e.Member); break;
            case KeyType.List: foreach (var e in value.Elements()) import.AppendListItem(e.Member); break;
            case KeyType.SortedSet: foreach (var e in value.Elements()) import.AddSortedSetMember(e.Member, e.Score); break;
            default: throw new InvalidOperationException($"no import for {value.Type}");
        }
    }
}
