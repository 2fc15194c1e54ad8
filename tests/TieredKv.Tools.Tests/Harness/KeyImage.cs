using System.Globalization;
using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Tools.Tests.Harness;

/// <summary>
/// A key's type, value and expiry in one comparable form, whatever it was read from: hash fields and set members
/// sorted, list items in order, sorted-set members sorted with their scores round-tripped. Bytes are Latin-1 text.
/// </summary>
public sealed record KeyImage(string Type, string Content, long? ExpireAtUnixMs)
{
    public static string Text(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    public static string Score(double score) => score.ToString("R", CultureInfo.InvariantCulture);

    public static KeyImage Of(KeyType type, IEnumerable<(byte[] Member, byte[]? Value, double Score)> elements, long? expireAt) => new(
        KeyTypeNames.Name(type),
        type switch
        {
            KeyType.List => string.Join("\n", elements.Select(e => Text(e.Member))),
            KeyType.Set => string.Join("\n", elements.Select(e => Text(e.Member)).Order(StringComparer.Ordinal)),
            KeyType.Hash => string.Join("\n", elements.Select(e => Text(e.Member) + "=" + Text(e.Value!)).Order(StringComparer.Ordinal)),
            KeyType.SortedSet => string.Join("\n", elements.Select(e => Text(e.Member) + "=" + Score(e.Score)).Order(StringComparer.Ordinal)),
            _ => throw new ArgumentException($"not a collection: {type}", nameof(type)),
        },
        expireAt);

    public static KeyImage OfString(byte[] value, long? expireAt) => new("string", Text(value), expireAt);
}
