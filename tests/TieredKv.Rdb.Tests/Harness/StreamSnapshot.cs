using System.Globalization;
using System.Text;
using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb.Tests.Harness;

/// <summary>
/// A stream held whole for comparison, and its description in one text form whether it comes from our model or
/// from a real Redis (XRANGE and XINFO STREAM FULL COUNT 0): equal texts mean every entry, counter, group,
/// pending entry and consumer agree.
/// </summary>
internal sealed class StreamSnapshot(List<RdbStreamEntry> entries, RdbStreamMetadata metadata, IReadOnlyList<RdbStreamGroup> groups)
{
    public List<RdbStreamEntry> Entries { get; } = entries;
    public RdbStreamMetadata Metadata { get; } = metadata;
    public IReadOnlyList<RdbStreamGroup> Groups { get; } = groups;

    public static StreamSnapshot Read(RdbStream stream)
    {
        var entries = stream.Entries().ToList();
        return new StreamSnapshot(entries, stream.Metadata, stream.Groups);
    }

    public static StreamSnapshot FromPayload(byte[] payload)
    {
        var value = DumpPayload.Decode(payload, readStreams: true);
        Assert.True(value.IsStream);
        return Read(value.Stream());
    }

    public byte[] ToPayload() => DumpPayload.EncodeStream(Entries, Metadata, Groups);

    public string Describe()
    {
        var sb = new StringBuilder();
        var m = Metadata;
        sb.Append(CultureInfo.InvariantCulture, $"length {m.Length}\nlast-generated-id {m.LastId}\nmax-deleted-entry-id {m.MaxDeletedEntryId}\n");
        sb.Append(CultureInfo.InvariantCulture, $"entries-added {m.EntriesAdded}\nrecorded-first-entry-id {m.FirstId}\n");
        foreach (var e in Entries) sb.Append(EntryLine(e.Id.ToString(), e.Fields.SelectMany(f => new[] { f.Key, f.Value })));
        foreach (var g in Groups)
        {
            string read = g.EntriesRead == RdbStreamGroup.UnknownEntriesRead ? "nil" : g.EntriesRead.ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"group {T(g.Name)} last-delivered-id {g.LastDeliveredId} entries-read {read} pel-count {g.Pending.Count}\n");
            foreach (var p in g.Pending) sb.Append(CultureInfo.InvariantCulture, $"  pending {p.Id} {T(p.Consumer)} {p.DeliveryTimeMs} {p.DeliveryCount}\n");
            foreach (var c in g.Consumers)
            {
                var owned = g.Pending.Where(p => p.Consumer.AsSpan().SequenceEqual(c.Name)).ToList();
                sb.Append(CultureInfo.InvariantCulture, $"  consumer {T(c.Name)} seen-time {c.SeenTimeMs} pel-count {owned.Count}\n");
                foreach (var p in owned) sb.Append(CultureInfo.InvariantCulture, $"    pending {p.Id} {p.DeliveryTimeMs} {p.DeliveryCount}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>The same description from a real Redis.</summary>
    public static string DescribeRedis(ValueClient c, string key)
    {
        var info = Map(c.Array("XINFO", "STREAM", key, "FULL", "COUNT", "0"));
        var sb = new StringBuilder();
        foreach (string field in new[] { "length", "last-generated-id", "max-deleted-entry-id", "entries-added", "recorded-first-entry-id" })
            sb.Append(CultureInfo.InvariantCulture, $"{field} {V(info[field])}\n");
        foreach (var e in c.Array("XRANGE", key, "-", "+").Cast<List<object?>>())
            sb.Append(EntryLine(V(e[0]), ((List<object?>)e[1]!).Cast<byte[]>()));
        foreach (var gv in (List<object?>)info["groups"]!)
        {
            var g = Map((List<object?>)gv!);
            sb.Append(CultureInfo.InvariantCulture, $"group {V(g["name"])} last-delivered-id {V(g["last-delivered-id"])} entries-read {V(g["entries-read"])} pel-count {V(g["pel-count"])}\n");
            foreach (var p in ((List<object?>)g["pending"]!).Cast<List<object?>>())
                sb.Append(CultureInfo.InvariantCulture, $"  pending {V(p[0])} {V(p[1])} {V(p[2])} {V(p[3])}\n");
            foreach (var cv in (List<object?>)g["consumers"]!)
            {
                var consumer = Map((List<object?>)cv!);
                sb.Append(CultureInfo.InvariantCulture, $"  consumer {V(consumer["name"])} seen-time {V(consumer["seen-time"])} pel-count {V(consumer["pel-count"])}\n");
                foreach (var p in ((List<object?>)consumer["pending"]!).Cast<List<object?>>())
                    sb.Append(CultureInfo.InvariantCulture, $"    pending {V(p[0])} {V(p[1])} {V(p[2])}\n");
            }
        }
        return sb.ToString();
    }

    /// <summary>How many listpack nodes Redis holds the stream in.</summary>
    public static long RadixTreeKeys(ValueClient c, string key) => (long)Map(c.Array("XINFO", "STREAM", key))["radix-tree-keys"]!;

    private static string EntryLine(string id, IEnumerable<byte[]> fieldsAndValues) =>
        $"entry {id} {string.Join(' ', fieldsAndValues.Select(T))}\n";

    private static Dictionary<string, object?> Map(List<object?> pairs)
    {
        var map = new Dictionary<string, object?>();
        for (int i = 0; i < pairs.Count; i += 2) map[V(pairs[i])] = pairs[i + 1];
        return map;
    }

    /// <summary>A reply as text, arrays bracketed, for comparing the replies of two keys.</summary>
    public static string Render(object? value) => value is List<object?> items ? "[" + string.Join(", ", items.Select(Render)) + "]" : V(value);

    private static string V(object? value) => value switch
    {
        null => "nil",
        byte[] b => T(b),
        long n => n.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    /// <summary>Bytes as text with everything outside printable ASCII escaped, so binary values compare exactly.</summary>
    private static string T(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (byte b in bytes) sb.Append(b is >= 0x21 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        return sb.ToString();
    }
}
