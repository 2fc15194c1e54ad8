using System.Buffers.Binary;
using System.Text;
using TieredKv.Rdb;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;

namespace TieredKv.Fuzz.Targets;

/// <summary>RDB files for the seed corpus: ours from <see cref="RdbWriter"/>, and RDB 11 listpack encodings laid out by hand (our writer emits only plain encodings).</summary>
internal static class RdbSeeds
{
    public static byte[] Plain()
    {
        var stream = new MemoryStream();
        var writer = new RdbWriter(stream, new RdbWriterOptions { CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) });
        writer.SelectDatabase(0, 6, 1);
        writer.WriteString("greeting"u8, "hello"u8);
        writer.WriteString("counter"u8, "12345"u8, expireAtUnixMs: 1_800_000_000_000);
        writer.WriteString("long"u8, Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("compressible ", 20))));
        writer.BeginHash("h"u8, 2);
        writer.AddHashField("f1"u8, "v1"u8);
        writer.AddHashField("f2"u8, "-42"u8);
        writer.BeginSet("s"u8, 3);
        foreach (string m in new[] { "a", "b", "300" }) writer.AddSetMember(Encoding.ASCII.GetBytes(m));
        writer.BeginList("l"u8, 2);
        writer.AddListItem("x"u8);
        writer.AddListItem("yy"u8);
        writer.SelectDatabase(3, 1, 0);
        writer.BeginSortedSet("z"u8, 3);
        writer.AddSortedSetMember("one"u8, 1);
        writer.AddSortedSetMember("inf"u8, double.PositiveInfinity);
        writer.AddSortedSetMember("half"u8, -0.5);
        writer.Finish();
        return stream.ToArray();
    }

    /// <summary>Listpack set, hash and sorted set, a quicklist-2 list with a packed and a plain node, and an intset.</summary>
    public static byte[] Compact()
    {
        var stream = new MemoryStream();
        var output = new RdbOutput(stream);
        output.Write("REDIS0011"u8);
        output.WriteByte(RdbOpcode.SelectDb);
        output.WriteLength(0);
        Key(output, RdbValueType.SetListpack, "lpset", Listpack("a", 7, "bc"));
        Key(output, RdbValueType.HashListpack, "lphash", Listpack("field", "value", "n", 100));
        Key(output, RdbValueType.SortedSetListpack, "lpzset", Listpack("m1", "1.5", "m2", 3));
        output.WriteByte(RdbValueType.ListQuicklist2);
        output.WriteString("qlist"u8);
        output.WriteLength(2);
        output.WriteLength(RdbEncoding.QuicklistPacked);
        output.WriteString(Listpack("item", 5));
        output.WriteLength(RdbEncoding.QuicklistPlain);
        output.WriteString("a plain node"u8);
        var intset = new byte[8 + 3 * 2];
        BinaryPrimitives.WriteUInt32LittleEndian(intset, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(intset.AsSpan(4), 3);
        BinaryPrimitives.WriteInt16LittleEndian(intset.AsSpan(8), -5);
        BinaryPrimitives.WriteInt16LittleEndian(intset.AsSpan(10), 2);
        BinaryPrimitives.WriteInt16LittleEndian(intset.AsSpan(12), 999);
        Key(output, RdbValueType.SetIntset, "iset", intset);
        output.WriteByte(RdbOpcode.Eof);
        output.WriteUInt64LittleEndian(output.TakeCrc());
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>Two streams from <see cref="RdbWriter"/>: one spanning three nodes with varied fields and a group with pending entries, one empty with a group.</summary>
    public static byte[] Streams()
    {
        var stream = new MemoryStream();
        var writer = new RdbWriter(stream, new RdbWriterOptions { CreatedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) });
        writer.SelectDatabase(0, 2, 0);
        var (entries, metadata, groups) = StreamParts(230);
        writer.WriteStream("events"u8, entries, metadata, groups);
        writer.WriteStream("empty"u8, [], new RdbStreamMetadata(0, new StreamId(9, 0), StreamId.Min, new StreamId(9, 0), 1),
            [new RdbStreamGroup("g"u8.ToArray(), new StreamId(9, 0), 1, [], [])]);
        writer.Finish();
        return stream.ToArray();
    }

    /// <summary>A DUMP payload of a small stream with a group, pending entries and two consumers.</summary>
    public static byte[] StreamPayload()
    {
        var (entries, metadata, groups) = StreamParts(5);
        return DumpPayload.EncodeStream(entries, metadata, groups);
    }

    private static (List<RdbStreamEntry>, RdbStreamMetadata, List<RdbStreamGroup>) StreamParts(int count)
    {
        var entries = new List<RdbStreamEntry>();
        for (int i = 1; i <= count; i++)
        {
            byte[] n = Encoding.ASCII.GetBytes((i * 37 - 100).ToString(System.Globalization.CultureInfo.InvariantCulture));
            entries.Add(new RdbStreamEntry(new StreamId(1_700_000_000_000UL + (ulong)(i / 3), (ulong)(i % 3)),
                i % 4 == 0 ? [new("other"u8.ToArray(), n)] : [new("kind"u8.ToArray(), "click"u8.ToArray()), new("n"u8.ToArray(), n)]));
        }
        var last = entries[^1].Id;
        var metadata = new RdbStreamMetadata(count, last, entries[0].Id, StreamId.Min, count);
        var group = new RdbStreamGroup("workers"u8.ToArray(), entries[2].Id, 3,
            [new RdbStreamPendingEntry(entries[1].Id, 1_700_000_000_500, 1, "alice"u8.ToArray()),
             new RdbStreamPendingEntry(entries[2].Id, 1_700_000_000_600, 3, "bob"u8.ToArray())],
            [new RdbStreamConsumer("alice"u8.ToArray(), 1_700_000_000_500, 1_700_000_000_500),
             new RdbStreamConsumer("bob"u8.ToArray(), 1_700_000_000_700, 1_700_000_000_600)]);
        return (entries, metadata, [group]);
    }

    private static void Key(RdbOutput output, byte type, string key, byte[] blob)
    {
        output.WriteByte(type);
        output.WriteString(Encoding.ASCII.GetBytes(key));
        output.WriteString(blob);
    }

    /// <summary>A listpack of short strings (6-bit length) and small integers (7-bit), each with its 1-byte back-length.</summary>
    private static byte[] Listpack(params object[] entries)
    {
        var body = new List<byte>();
        foreach (object entry in entries)
        {
            if (entry is int n)
            {
                body.Add((byte)n);
                body.Add(1);
            }
            else
            {
                byte[] s = Encoding.ASCII.GetBytes((string)entry);
                body.Add((byte)(0x80 | s.Length));
                body.AddRange(s);
                body.Add((byte)(1 + s.Length));
            }
        }
        var blob = new byte[6 + body.Count + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)blob.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(blob.AsSpan(4), (ushort)entries.Length);
        body.CopyTo(blob, 6);
        blob[^1] = 0xFF;
        return blob;
    }
}
