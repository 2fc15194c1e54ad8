using System.Globalization;

namespace TieredKv.CrashTest;

/// <summary>
/// The exact contents of one writer's keys, changed by applying its commands in order. Each write
/// returns the reply Redis semantics give, so the writer checks replies as it goes.
/// </summary>
internal sealed class KeyspaceModel
{
    private readonly Dictionary<string, ModelValue> _keys;

    public KeyspaceModel() => _keys = new(StringComparer.Ordinal);

    private KeyspaceModel(Dictionary<string, ModelValue> keys) => _keys = keys;

    public KeyspaceModel Clone() => new(_keys.ToDictionary(k => k.Key, k => k.Value.Clone(), StringComparer.Ordinal));

    public ModelValue? Get(string key) => _keys.GetValueOrDefault(key);

    public string Render(string key) => ModelValue.Render(Get(key));

    /// <summary>Applies one command (as <see cref="WriterOp.Args"/>) and returns its expected reply text.</summary>
    public string Apply(string[] args)
    {
        string key = args[1];
        _keys.TryGetValue(key, out var value);
        switch (args[0])
        {
            case "SET":
                _keys[key] = new ModelValue { Text = args[2] };
                return "+OK";
            case "INCR":
            {
                long n = value == null ? 1 : long.Parse(value.Text!, CultureInfo.InvariantCulture) + 1;
                if (value == null) _keys[key] = value = new ModelValue();
                value.Text = n.ToString(CultureInfo.InvariantCulture);
                return ":" + n;
            }
            case "HSET":
            {
                if (value == null) _keys[key] = value = new ModelValue { Fields = new(StringComparer.Ordinal) };
                bool added = !value.Fields!.ContainsKey(args[2]);
                value.Fields[args[2]] = args[3];
                return added ? ":1" : ":0";
            }
            case "LPUSH":
                if (value == null) _keys[key] = value = new ModelValue { Items = [] };
                value.Items!.Insert(0, args[2]);
                return ":" + value.Items.Count;
            case "ZADD":
            {
                if (value == null) _keys[key] = value = new ModelValue { Scores = [] };
                bool added = !value.Scores!.ContainsKey(args[3]);
                value.Scores[args[3]] = long.Parse(args[2], CultureInfo.InvariantCulture);
                return added ? ":1" : ":0";
            }
            case "XADD":
                // Explicit IDs (the writer's op number) keep the reply and the entries known to the model.
                if (value == null) _keys[key] = value = new ModelValue { Items = [] };
                value.Items!.Add($"{args[2]}={args[4]}");
                return "$" + args[2];
            case "SADD":
                if (value == null) _keys[key] = value = new ModelValue { Members = new(StringComparer.Ordinal) };
                return value.Members!.Add(args[2]) ? ":1" : ":0";
            case "DEL":
                return _keys.Remove(key) ? ":1" : ":0";
            case "EXPIRE":
                if (value == null) return ":0";
                value.HasTtl = true;
                return ":1";
            default:
                throw new ArgumentException($"the model does not know {args[0]}");
        }
    }

    /// <summary>
    /// A random write to one of the writer's keys: mostly the kind's own command, sometimes DEL or a long EXPIRE.
    /// Collections are deleted once large so that each key stays cheap to read back whole.
    /// </summary>
    public string[] NextCommand(Random random, int writer, int keysPerKind, long opNumber)
    {
        var kind = KeyKinds.All[random.Next(KeyKinds.All.Length)];
        string key = $"w{writer}:{KeyKinds.Letter(kind)}:{random.Next(keysPerKind)}";
        int roll = random.Next(100);
        var value = Get(key);
        int size = value?.Fields?.Count ?? value?.Items?.Count ?? value?.Scores?.Count ?? value?.Members?.Count ?? 0;
        if (roll < 8 || size >= 40) return ["DEL", key];
        if (roll < 16) return ["EXPIRE", key, "100000"];
        string tag = $"{writer}.{opNumber}";
        return kind switch
        {
            KeyKind.String => ["SET", key, tag + new string('x', random.Next(300))],
            KeyKind.Counter => ["INCR", key],
            KeyKind.Hash => ["HSET", key, "f" + random.Next(12), tag],
            KeyKind.List => ["LPUSH", key, tag],
            KeyKind.SortedSet => ["ZADD", key, random.Next(-500, 500).ToString(CultureInfo.InvariantCulture), "m" + random.Next(24)],
            KeyKind.Stream => ["XADD", key, $"{opNumber}-1", "f", tag],
            _ => ["SADD", key, "m" + random.Next(48)],
        };
    }

    public static IEnumerable<string> AllKeys(int writer, int keysPerKind) =>
        from kind in KeyKinds.All from i in Enumerable.Range(0, keysPerKind) select $"w{writer}:{KeyKinds.Letter(kind)}:{i}";
}
