using System.Globalization;
using System.Text;
using TieredKv.Keyspace;

namespace TieredKv.Rdb.Tests.Harness;

/// <summary>One key's value as plain data, for comparing what different parties hold. Byte strings are Latin-1 strings (lossless).</summary>
public sealed class KeyModel
{
    public required KeyType Type { get; init; }
    public long? ExpireAtUnixMs { get; set; }
    public byte[]? String { get; set; }
    public List<string> List { get; } = [];
    public SortedSet<string> Set { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, string> Hash { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, double> SortedSet { get; } = new(StringComparer.Ordinal);

    public static string S(byte[] b) => Encoding.Latin1.GetString(b);
    public static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>A canonical text of the value (and expiry) so two models compare with one string equality and a readable diff.</summary>
    public string Describe(bool withExpiry = true)
    {
        var sb = new StringBuilder();
        sb.Append(KeyTypeNames.Name(Type));
        if (withExpiry) sb.Append(" expire=").Append(ExpireAtUnixMs?.ToString(CultureInfo.InvariantCulture) ?? "none");
        switch (Type)
        {
            case KeyType.String: sb.Append(' ').Append(Convert.ToHexString(String!)); break;
            case KeyType.List: foreach (var i in List) sb.Append(" [").Append(Hex(i)).Append(']'); break;
            case KeyType.Set: foreach (var i in Set) sb.Append(" {").Append(Hex(i)).Append('}'); break;
            case KeyType.Hash: foreach (var (f, v) in Hash) sb.Append(' ').Append(Hex(f)).Append('=').Append(Hex(v)); break;
            case KeyType.SortedSet: foreach (var (m, s) in SortedSet) sb.Append(' ').Append(Hex(m)).Append(':').Append(s.ToString("R", CultureInfo.InvariantCulture)); break;
        }
        return sb.ToString();
    }

    private static string Hex(string s) => Convert.ToHexString(B(s));

    /// <summary>Reads an RDB entry into a model, enumerating its elements.</summary>
    public static KeyModel FromRdb(RdbEntry e) => FromValue(e.Value, e.ExpireAtUnixMs);

    public static KeyModel FromValue(RdbValue value, long? expireAt)
    {
        var m = new KeyModel { Type = value.Type, ExpireAtUnixMs = expireAt };
        switch (value.Type)
        {
            case KeyType.String: m.String = value.StringValue(); break;
            case KeyType.List: foreach (var i in value.ListItems()) m.List.Add(S(i)); break;
            // Duplicates overwrite (a damaged file may repeat a field; its checksum fails at the end).
            case KeyType.Set: foreach (var i in value.SetMembers()) m.Set.Add(S(i)); break;
            case KeyType.Hash: foreach (var (f, v) in value.HashFields()) m.Hash[S(f)] = S(v); break;
            case KeyType.SortedSet: foreach (var (mem, s) in value.SortedSetMembers()) m.SortedSet[S(mem)] = s; break;
        }
        return m;
    }

    /// <summary>Reads a keyspace key into a model.</summary>
    public static KeyModel FromSnapshot(SnapshotKey k)
    {
        var m = new KeyModel { Type = k.Type, ExpireAtUnixMs = k.ExpireAtUnixMs };
        switch (k.Type)
        {
            case KeyType.String: m.String = k.StringValue(); break;
            case KeyType.List: foreach (var i in k.ListItems()) m.List.Add(S(i)); break;
            case KeyType.Set: foreach (var i in k.SetMembers()) m.Set.Add(S(i)); break;
            case KeyType.Hash: foreach (var (f, v) in k.HashFields()) m.Hash[S(f)] = S(v); break;
            case KeyType.SortedSet: foreach (var (mem, s) in k.SortedSetMembers()) m.SortedSet[S(mem)] = s; break;
        }
        return m;
    }

    /// <summary>Reads a key from a running Redis-protocol server.</summary>
    public static KeyModel? FromServer(ValueClient c, byte[] key)
    {
        string type = (string)c.Call("TYPE", key)!;
        if (type == "none") return null;
        Assert.True(KeyTypeNames.TryParse(type, out var kt), $"unexpected type {type}");
        var m = new KeyModel { Type = kt };
        long pexpiretime = c.Integer("PEXPIRETIME", key);
        m.ExpireAtUnixMs = pexpiretime >= 0 ? pexpiretime : null;
        switch (kt)
        {
            case KeyType.String: m.String = c.Bulk("GET", key); break;
            case KeyType.List: foreach (var i in c.Array("LRANGE", key, "0", "-1")) m.List.Add(S((byte[])i!)); break;
            case KeyType.Set: foreach (var i in c.Array("SMEMBERS", key)) m.Set.Add(S((byte[])i!)); break;
            case KeyType.Hash:
            {
                var a = c.Array("HGETALL", key);
                for (int i = 0; i < a.Count; i += 2) m.Hash.Add(S((byte[])a[i]!), S((byte[])a[i + 1]!));
                break;
            }
            case KeyType.SortedSet:
            {
                var a = c.Array("ZRANGE", key, "0", "-1", "WITHSCORES");
                for (int i = 0; i < a.Count; i += 2) m.SortedSet.Add(S((byte[])a[i]!), ParseScore((byte[])a[i + 1]!));
                break;
            }
        }
        return m;
    }

    public static double ParseScore(byte[] text) => Encoding.ASCII.GetString(text) switch
    {
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var s => double.Parse(s, CultureInfo.InvariantCulture),
    };

    /// <summary>The commands that create this key in a Redis-protocol server (elements in batches).</summary>
    public IEnumerable<object[]> Commands(byte[] key)
    {
        const int batch = 500;
        switch (Type)
        {
            case KeyType.String: yield return ["SET", key, String!]; break;
            case KeyType.List:
                foreach (var chunk in List.Chunk(batch)) yield return [.. new object[] { "RPUSH", key }, .. chunk.Select(B)];
                break;
            case KeyType.Set:
                foreach (var chunk in Set.Chunk(batch)) yield return [.. new object[] { "SADD", key }, .. chunk.Select(B)];
                break;
            case KeyType.Hash:
                foreach (var chunk in Hash.Chunk(batch)) yield return [.. new object[] { "HSET", key }, .. chunk.SelectMany(p => new object[] { B(p.Key), B(p.Value) })];
                break;
            case KeyType.SortedSet:
                foreach (var chunk in SortedSet.Chunk(batch))
                    yield return [.. new object[] { "ZADD", key }, .. chunk.SelectMany(p => new object[] { FormatScore(p.Value), B(p.Key) })];
                break;
        }
        if (ExpireAtUnixMs is long at) yield return ["PEXPIREAT", key, at];
    }

    public static string FormatScore(double d) =>
        double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes this key with an <see cref="RdbWriter"/>.</summary>
    public void WriteTo(RdbWriter w, byte[] key)
    {
        switch (Type)
        {
            case KeyType.String: w.WriteString(key, String!, ExpireAtUnixMs); break;
            case KeyType.List:
                w.BeginList(key, List.Count, ExpireAtUnixMs);
                foreach (var i in List) w.AddListItem(B(i));
                break;
            case KeyType.Set:
                w.BeginSet(key, Set.Count, ExpireAtUnixMs);
                foreach (var i in Set) w.AddSetMember(B(i));
                break;
            case KeyType.Hash:
                w.BeginHash(key, Hash.Count, ExpireAtUnixMs);
                foreach (var (f, v) in Hash) w.AddHashField(B(f), B(v));
                break;
            case KeyType.SortedSet:
                w.BeginSortedSet(key, SortedSet.Count, ExpireAtUnixMs);
                foreach (var (m, s) in SortedSet) w.AddSortedSetMember(B(m), s);
                break;
        }
    }
}
