using System.Buffers.Binary;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;

namespace TieredKv.Rdb.Tests.Streams;

/// <summary>Stream values made by hand: the older and newer types read as Redis loads them, damage is refused, and the writer refuses what Redis would not load.</summary>
public sealed class StreamEncodingTests
{
    private static readonly RdbStreamEntry[] ThreeEntries =
    [
        Entry(1, 0, "a", "1"),
        Entry(2, 0, "a", "2"),
        Entry(3, 0, "b", "3"),
    ];

    [Fact]
    public void Type_15_takes_first_id_entries_added_and_entries_read_as_redis_derives_them()
    {
        byte[] payload = Payload(RdbValueType.StreamListpacks, 9, o =>
        {
            WriteOneNode(o, ThreeEntries);
            o.WriteLength(3); Id(o, 5, 0); // length, last ID: nothing more in type 15
            o.WriteLength(3);
            foreach (var (name, lastMs) in new[] { ("at-first", 1UL), ("at-last", 5UL), ("before-first", 0UL) })
            {
                o.WriteString(Ascii(name)); Id(o, lastMs, 0);
                o.WriteLength(0); o.WriteLength(0); // no PEL, no consumers
            }
        });

        var stream = DumpPayload.Decode(payload, readStreams: true).Stream();
        Assert.Equal([1UL, 2UL, 3UL], stream.Entries().Select(e => e.Id.Ms));
        Assert.Equal(new RdbStreamMetadata(3, new StreamId(5, 0), new StreamId(1, 0), StreamId.Min, 3), stream.Metadata);
        Assert.Equal([1L, 3L, 0L], stream.Groups.Select(g => g.EntriesRead));
    }

    [Fact]
    public void Type_21_reads_the_consumer_active_time_and_unknown_entries_read()
    {
        byte[] payload = Payload(RdbValueType.StreamListpacks3, 11, o =>
        {
            WriteOneNode(o, ThreeEntries);
            Tail19(o);
            o.WriteLength(1);
            o.WriteString("g"u8); Id(o, 2, 0); o.WriteLength(ulong.MaxValue); // entries read -1, as Redis saves it
            o.WriteLength(1); RawId(o, 2, 0); o.WriteUInt64LittleEndian(1000); o.WriteLength(4);
            o.WriteLength(1);
            o.WriteString("c"u8); o.WriteUInt64LittleEndian(500); o.WriteUInt64LittleEndian(700);
            o.WriteLength(1); RawId(o, 2, 0);
        });

        var stream = DumpPayload.Decode(payload, readStreams: true).Stream();
        var g = Assert.Single(stream.Groups);
        Assert.Equal(RdbStreamGroup.UnknownEntriesRead, g.EntriesRead);
        var consumer = Assert.Single(g.Consumers);
        Assert.Equal((500L, 700L), (consumer.SeenTimeMs, consumer.ActiveTimeMs));
        var p = Assert.Single(g.Pending);
        Assert.Equal((new StreamId(2, 0), 1000L, 4UL, "c"), (p.Id, p.DeliveryTimeMs, p.DeliveryCount, KeyModel(p.Consumer)));
        Assert.Equal([new StreamId(2, 0)], g.PendingOf("c"u8));
    }

    [Fact]
    public void Entries_flagged_deleted_are_left_out_and_the_node_counts_checked()
    {
        var lp = new ListpackBuilder();
        foreach (long v in new long[] { 1, 1, 1 }) lp.AppendInteger(v); // 1 live, 1 deleted, 1 master field
        lp.Append("f"u8); lp.AppendInteger(0);
        foreach (var (flags, ms) in new[] { (3L, 0L), (2L, 1L) }) // deleted + same fields, then same fields
        {
            lp.AppendInteger(flags); lp.AppendInteger(ms); lp.AppendInteger(0); lp.Append("v"u8); lp.AppendInteger(4);
        }
        byte[] node = lp.Finish().ToArray();
        byte[] payload = Payload(RdbValueType.StreamListpacks2, 10, o =>
        {
            o.WriteLength(1); Key(o, 10, 0); o.WriteString(node);
            o.WriteLength(1); Id(o, 11, 0); Id(o, 11, 0); Id(o, 10, 0); o.WriteLength(2); o.WriteLength(0);
        });

        var stream = DumpPayload.Decode(payload, readStreams: true).Stream();
        Assert.Equal([new StreamId(11, 0)], stream.Entries().Select(e => e.Id));
    }

    [Theory]
    [InlineData("lp-count", "lp-count is 9")]
    [InlineData("short node key", "not the 16")]
    [InlineData("unknown consumer PEL entry", "is not in its group's PEL")]
    [InlineData("length", "stream length is 4")]
    [InlineData("empty listpack", "empty listpack")]
    [InlineData("pending without consumer", "has no consumer")]
    public void Damaged_stream_payload_is_bad_data_format(string damage, string reason)
    {
        byte[] payload = Payload(RdbValueType.StreamListpacks2, 10, o =>
        {
            if (damage == "empty listpack")
            {
                o.WriteLength(1); Key(o, 1, 0); o.WriteString(new byte[] { 7, 0, 0, 0, 0, 0, 0xFF });
            }
            else if (damage == "short node key")
            {
                o.WriteLength(1); o.WriteString(new byte[15]); o.WriteString(Node(ThreeEntries, lpCount: null));
            }
            else
            {
                o.WriteLength(1); Key(o, 1, 0); o.WriteString(Node(ThreeEntries, lpCount: damage == "lp-count" ? 9 : null));
            }
            o.WriteLength(damage == "length" ? 4UL : 3UL); Id(o, 3, 0); Id(o, 1, 0); Id(o, 0, 0); o.WriteLength(3);
            o.WriteLength(1);
            o.WriteString("g"u8); Id(o, 2, 0); o.WriteLength(2);
            o.WriteLength(1); RawId(o, 2, 0); o.WriteUInt64LittleEndian(1); o.WriteLength(1);
            o.WriteLength(1);
            o.WriteString("c"u8); o.WriteUInt64LittleEndian(1);
            if (damage == "pending without consumer") o.WriteLength(0);
            else
            {
                o.WriteLength(1); RawId(o, damage == "unknown consumer PEL entry" ? 3UL : 2UL, 0);
            }
        });

        var e = Assert.Throws<DumpPayloadException>(() => DumpPayload.Decode(payload, readStreams: true));
        Assert.Equal("ERR Bad data format", e.Message);
        Assert.Contains(reason, Assert.IsType<RdbFormatException>(e.Cause).Message);
    }

    [Fact]
    public void Intact_version_of_the_damage_fixture_reads()
    {
        byte[] payload = Payload(RdbValueType.StreamListpacks2, 10, o =>
        {
            o.WriteLength(1); Key(o, 1, 0); o.WriteString(Node(ThreeEntries, lpCount: null));
            o.WriteLength(3); Id(o, 3, 0); Id(o, 1, 0); Id(o, 0, 0); o.WriteLength(3);
            o.WriteLength(0);
        });
        Assert.Equal(3, DumpPayload.Decode(payload, readStreams: true).Stream().Entries().Count());
    }

    [Fact]
    public void Nodes_close_at_one_hundred_entries()
    {
        var entries = Enumerable.Range(1, 250).Select(i => Entry((ulong)i, 0, "f", "v")).ToList();
        byte[] payload = DumpPayload.EncodeStream(entries, new(250, new StreamId(250, 0), new StreamId(1, 0), StreamId.Min, 250), []);
        Assert.Equal(3, payload[1]); // the node count, a 6-bit length
    }

    [Fact]
    public void Nodes_close_before_reaching_4096_bytes()
    {
        var entries = Enumerable.Range(1, 40).Select(i => Entry((ulong)i, 0, "f", new string('x', 1000))).ToList();
        byte[] payload = DumpPayload.EncodeStream(entries, new(40, new StreamId(40, 0), new StreamId(1, 0), StreamId.Min, 40), []);
        // Four entries make a node of 4066 bytes: a fifth (1001 bytes of field and value) would reach 4096.
        Assert.Equal(10, payload[1]);
    }

    [Fact]
    public void Writer_refuses_entries_out_of_order_before_writing_anything()
    {
        var ms = new MemoryStream();
        var writer = new RdbWriter(ms);
        long before = writer.BytesWritten;
        var e = Assert.Throws<ArgumentException>(() => writer.WriteStream("s"u8, [ThreeEntries[1], ThreeEntries[0]],
            new(2, new StreamId(3, 0), new StreamId(1, 0), StreamId.Min, 2), []));
        Assert.Contains("does not follow", e.Message);
        Assert.Equal(before, writer.BytesWritten);
    }

    [Fact]
    public void Writer_refuses_a_length_that_is_not_the_entry_count()
    {
        var e = Assert.Throws<ArgumentException>(() => DumpPayload.EncodeStream(ThreeEntries, new(4, new StreamId(3, 0), new StreamId(1, 0), StreamId.Min, 4), []));
        Assert.Contains("length is 4 but 3 entries", e.Message);
    }

    [Fact]
    public void Writer_refuses_a_pending_entry_of_a_consumer_the_group_lacks()
    {
        var group = new RdbStreamGroup("g"u8.ToArray(), new StreamId(2, 0), 2,
            [new RdbStreamPendingEntry(new StreamId(2, 0), 1, 1, "ghost"u8.ToArray())], [new RdbStreamConsumer("c"u8.ToArray(), 1, 1)]);
        var e = Assert.Throws<ArgumentException>(() => DumpPayload.EncodeStream(ThreeEntries, Meta3(), [group]));
        Assert.Contains("ghost", e.Message);
    }

    [Fact]
    public void Writer_refuses_duplicate_consumers_and_groups()
    {
        var consumer = new RdbStreamConsumer("c"u8.ToArray(), 1, 1);
        var twice = new RdbStreamGroup("g"u8.ToArray(), StreamId.Min, 0, [], [consumer, consumer]);
        Assert.Contains("duplicate consumer", Assert.Throws<ArgumentException>(() => DumpPayload.EncodeStream(ThreeEntries, Meta3(), [twice])).Message);
        var group = new RdbStreamGroup("g"u8.ToArray(), StreamId.Min, 0, [], [consumer]);
        Assert.Contains("duplicate consumer group", Assert.Throws<ArgumentException>(() => DumpPayload.EncodeStream(ThreeEntries, Meta3(), [group, group])).Message);
    }

    [Fact]
    public void Entry_ids_are_delta_encoded_with_wrapping_sequence_differences()
    {
        // Master 5-7, then 6-0: the sequence difference is -7, stored as a negative integer.
        RdbStreamEntry[] entries = [Entry(5, 7, "f", "1"), Entry(6, 0, "f", "2"), Entry(ulong.MaxValue, ulong.MaxValue, "g", "3")];
        var meta = new RdbStreamMetadata(3, StreamId.Max, new StreamId(5, 7), StreamId.Min, 3);
        var read = DumpPayload.Decode(DumpPayload.EncodeStream(entries, meta, []), readStreams: true).Stream();
        Assert.Equal(entries.Select(e => e.Id), read.Entries().Select(e => e.Id));
        Assert.Equal(meta, read.Metadata);
    }

    [Fact]
    public void Entries_can_be_read_only_once()
    {
        var stream = DumpPayload.Decode(DumpPayload.EncodeStream(ThreeEntries, Meta3(), []), readStreams: true).Stream();
        Assert.Equal(3, stream.Entries().Count());
        Assert.Throws<InvalidOperationException>(() => stream.Entries());
    }

    private static RdbStreamMetadata Meta3() => new(3, new StreamId(3, 0), new StreamId(1, 0), StreamId.Min, 3);

    private static RdbStreamEntry Entry(ulong ms, ulong seq, string field, string value) => new(new StreamId(ms, seq), [new(Ascii(field), Ascii(value))]);

    /// <summary>One node holding the entries, its listpack built item by item; <paramref name="lpCount"/> overrides the last entry's lp-count.</summary>
    private static byte[] Node(IReadOnlyList<RdbStreamEntry> entries, int? lpCount)
    {
        var lp = new ListpackBuilder();
        var master = entries[0];
        lp.AppendInteger(entries.Count); lp.AppendInteger(0); lp.AppendInteger(1); lp.Append(master.Fields[0].Key); lp.AppendInteger(0);
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            bool same = e.Fields[0].Key.AsSpan().SequenceEqual(master.Fields[0].Key);
            lp.AppendInteger(same ? 2 : 0);
            lp.AppendInteger((long)(e.Id.Ms - master.Id.Ms)); lp.AppendInteger((long)(e.Id.Seq - master.Id.Seq));
            if (!same) { lp.AppendInteger(1); lp.Append(e.Fields[0].Key); }
            lp.Append(e.Fields[0].Value);
            lp.AppendInteger(i == entries.Count - 1 && lpCount is int forced ? forced : same ? 4 : 6);
        }
        return lp.Finish().ToArray();
    }

    private static void WriteOneNode(RdbOutput o, IReadOnlyList<RdbStreamEntry> entries)
    {
        o.WriteLength(1);
        Key(o, entries[0].Id.Ms, entries[0].Id.Seq);
        o.WriteString(Node(entries, lpCount: null));
    }

    private static void Tail19(RdbOutput o)
    {
        o.WriteLength(3); Id(o, 3, 0); Id(o, 1, 0); Id(o, 0, 0); o.WriteLength(3);
    }

    private static void Key(RdbOutput o, ulong ms, ulong seq)
    {
        var key = new byte[16];
        new StreamId(ms, seq).WriteBigEndian(key);
        o.WriteString(key);
    }

    private static void RawId(RdbOutput o, ulong ms, ulong seq)
    {
        var key = new byte[16];
        new StreamId(ms, seq).WriteBigEndian(key);
        o.Write(key);
    }

    private static void Id(RdbOutput o, ulong ms, ulong seq)
    {
        o.WriteLength(ms);
        o.WriteLength(seq);
    }

    /// <summary>A DUMP payload: type, value, version, CRC-64.</summary>
    private static byte[] Payload(byte type, ushort version, Action<RdbOutput> value)
    {
        var ms = new MemoryStream();
        var o = new RdbOutput(ms);
        o.WriteByte(type);
        value(o);
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(v, version);
        o.Write(v);
        o.WriteUInt64LittleEndian(o.TakeCrc());
        o.Flush();
        return ms.ToArray();
    }

    private static byte[] Ascii(string s) => System.Text.Encoding.ASCII.GetBytes(s);

    private static string KeyModel(byte[] b) => System.Text.Encoding.ASCII.GetString(b);
}
