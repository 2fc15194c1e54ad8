using TieredKv.Client;

namespace TieredKv.CrashTest;

/// <summary>Reads a writer's keys back from the server and renders each as <see cref="ModelValue.Render"/> does.</summary>
internal static class ActualState
{
    public static Dictionary<string, string> Read(RespConnection connection, IReadOnlyList<string> keys)
    {
        var commands = new List<IReadOnlyList<string>>();
        foreach (var key in keys)
        {
            commands.Add(ReadCommand(key));
            commands.Add(["TTL", key]);
        }
        connection.SendAll(commands);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var content = connection.Read();
            var ttl = connection.Read();
            result[key] = Render(key, content, ttl);
        }
        return result;
    }

    private static string[] ReadCommand(string key) => KindOf(key) switch
    {
        KeyKind.String or KeyKind.Counter => ["GET", key],
        KeyKind.Hash => ["HGETALL", key],
        KeyKind.List => ["LRANGE", key, "0", "-1"],
        KeyKind.SortedSet => ["ZRANGE", key, "0", "-1", "WITHSCORES"],
        KeyKind.Stream => ["XRANGE", key, "-", "+"],
        _ => ["SMEMBERS", key],
    };

    private static KeyKind KindOf(string key) => KeyKinds.OfKey(key);

    private static string Render(string key, RespReply content, RespReply ttl)
    {
        if (content.IsError || ttl.IsError) return $"error: {content.Render()} / {ttl.Render()}";
        // A stream entry is [id, [field, value]]: rendered id=value, as the model keeps it.
        var items = content.Items?.Select(i => i.Items is [var id, { Items: [_, var value] }] ? $"{id.TextOf()}={value.TextOf()}" : i.TextOf() ?? "(nil)").ToList();
        bool empty = content.IsNil || items is { Count: 0 };
        if (ttl.Integer == -2) return empty ? ModelValue.Absent : $"{ModelValue.Absent} yet holding {content.Render()}";
        string body = KindOf(key) switch
        {
            KeyKind.String or KeyKind.Counter => content.TextOf() ?? "(nil)",
            KeyKind.Hash => string.Join(',', Pairs(items!).OrderBy(p => p[..p.IndexOf('=')], StringComparer.Ordinal)),
            KeyKind.SortedSet => string.Join(',', Pairs(items!)),
            KeyKind.Set => string.Join(',', items!.Order(StringComparer.Ordinal)),
            _ => string.Join(',', items!),
        };
        return ttl.Integer > 0 ? body + " (ttl)" : body;
    }

    private static IEnumerable<string> Pairs(List<string> items)
    {
        for (int i = 0; i + 1 < items.Count; i += 2) yield return items[i] + "=" + items[i + 1];
    }
}
