using System.Text;
using TieredKv.Keyspace;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests;

/// <summary>What <see cref="RdbWriter"/> writes, <see cref="RdbReader"/> reads back unchanged.</summary>
public sealed class RdbRoundTripTests
{
    private static byte[] Write(Dataset d)
    {
        var ms = new MemoryStream();
        d.WriteRdb(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Every_type_with_expiries_in_several_databases_reads_back_the_same()
    {
        var d = Dataset.Everything();
        var reader = new RdbReader(new MemoryStream(Write(d)));
        var read = Dataset.Read(reader);
        Dataset.AssertSame(d, read);
        Assert.True(reader.Completed);
        Assert.True(reader.ChecksumVerified);
        Assert.Equal(10, reader.Version);
        Assert.Contains(reader.Aux, a => a.Key == "redis-ver" && a.Value == "7.0.0");
    }

    [Fact]
    public void Elements_not_enumerated_are_skipped_when_moving_to_the_next_key()
    {
        var d = Dataset.Everything();
        var reader = new RdbReader(new MemoryStream(Write(d)));
        var keys = new List<(int, string)>();
        while (reader.TryReadNext(out var e))
        {
            keys.Add((e.Db, KeyModel.S(e.Key)));
            if (e.Type != KeyType.String) e.Value.Elements().Take(2).ToList(); // read a little, leave the rest
        }
        Assert.Equal(d.Keys.Keys, keys);
        Assert.True(reader.ChecksumVerified);
    }

    [Fact]
    public void Elements_can_be_enumerated_only_once()
    {
        var w = new MemoryStream();
        var writer = new RdbWriter(w);
        writer.SelectDatabase(0, 1, 0);
        writer.BeginSet("s"u8, 2);
        writer.AddSetMember("a"u8);
        writer.AddSetMember("b"u8);
        writer.Finish();
        var reader = new RdbReader(new MemoryStream(w.ToArray()));
        Assert.True(reader.TryReadNext(out var e));
        Assert.Equal(2, e.Value.SetMembers().Count());
        Assert.Throws<InvalidOperationException>(() => e.Value.SetMembers().ToList());
    }

    [Fact]
    public void Writer_refuses_fewer_elements_than_announced()
    {
        var writer = new RdbWriter(new MemoryStream());
        writer.SelectDatabase(0, 2, 0);
        writer.BeginList("l"u8, 2);
        writer.AddListItem("a"u8);
        Assert.Throws<InvalidOperationException>(() => writer.WriteString("k"u8, "v"u8));
        Assert.Throws<InvalidOperationException>(() => writer.Finish());
    }

    [Fact]
    public void Writer_refuses_more_elements_than_announced()
    {
        var writer = new RdbWriter(new MemoryStream());
        writer.SelectDatabase(0, 1, 0);
        writer.BeginHash("h"u8, 1);
        writer.AddHashField("f"u8, "v"u8);
        Assert.Throws<InvalidOperationException>(() => writer.AddHashField("g"u8, "w"u8));
    }

    [Fact]
    public void Writer_refuses_empty_collections()
    {
        var writer = new RdbWriter(new MemoryStream());
        writer.SelectDatabase(0, 1, 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.BeginSet("s"u8, 0));
    }

    [Fact]
    public void Zero_checksum_is_accepted_as_disabled_with_a_warning()
    {
        byte[] file = Write(Dataset.Everything());
        file.AsSpan(file.Length - 8).Clear();
        var reader = new RdbReader(new MemoryStream(file));
        reader.ReadToEnd();
        Assert.True(reader.Completed);
        Assert.False(reader.ChecksumVerified);
        Assert.Contains(reader.Warnings, w => w.Contains("checksum"));
    }

    [Fact]
    public void Streams_and_module_values_are_skipped_and_reported_and_functions_collected()
    {
        var ms = new MemoryStream();
        var o = new RdbOutput(ms);
        o.Write("REDIS0011"u8);
        o.WriteByte(RdbOpcode.Function2);
        o.WriteString("#!lua name=lib\nredis.register_function('f', function() return 1 end)"u8);
        o.WriteByte(RdbOpcode.SelectDb);
        o.WriteLength(0);
        // A stream of type 21 with one listpack, a group with one PEL entry and one consumer.
        o.WriteByte(RdbValueType.StreamListpacks3);
        o.WriteString("mystream"u8);
        o.WriteLength(1);
        var nodeKey = new byte[16];
        nodeKey[7] = 5; // master ID 5-0
        o.WriteString(nodeKey);
        var node = new ListpackBuilder();
        foreach (long v in new long[] { 1, 0, 1 }) node.AppendInteger(v); // master entry: 1 live, 0 deleted, 1 field
        node.Append("f"u8);
        foreach (long v in new long[] { 0, 2, 0, 0 }) node.AppendInteger(v); // terminator; entry flags SAMEFIELDS, ID 5-0
        node.Append("v"u8);
        node.AppendInteger(4); // lp-count
        o.WriteString(node.Finish());
        foreach (ulong v in new ulong[] { 1, 5, 0, 5, 0, 0, 0, 1 }) o.WriteLength(v); // length, last id, first id, max deleted, added
        o.WriteLength(1);
        o.WriteString("group"u8);
        o.WriteLength(5); o.WriteLength(0); o.WriteLength(1);
        o.WriteLength(1);
        o.Write(new byte[16]); o.WriteUInt64LittleEndian(123); o.WriteLength(1);
        o.WriteLength(1);
        o.WriteString("consumer"u8); o.WriteUInt64LittleEndian(1); o.WriteUInt64LittleEndian(2);
        o.WriteLength(1); o.Write(new byte[16]);
        // A module value (type 7): id, then typed fields until the module EOF opcode.
        o.WriteByte(RdbValueType.Module2);
        o.WriteString("mymodule"u8);
        o.WriteLength(12345);
        o.WriteLength(RdbEncoding.ModuleUInt); o.WriteLength(99);
        o.WriteLength(RdbEncoding.ModuleString); o.WriteString("blob"u8);
        o.WriteLength(RdbEncoding.ModuleDouble); o.WriteBinaryDouble(1.5);
        o.WriteLength(RdbEncoding.ModuleFloat); o.Write(new byte[4]);
        o.WriteLength(RdbEncoding.ModuleEof);
        o.WriteByte(RdbValueType.String);
        o.WriteString("after"u8);
        o.WriteString("ok"u8);
        o.WriteByte(RdbOpcode.Eof);
        o.WriteUInt64LittleEndian(o.TakeCrc());
        o.Flush();

        var reader = new RdbReader(new MemoryStream(ms.ToArray()));
        Assert.True(reader.TryReadNext(out var e));
        Assert.Equal("after", Encoding.ASCII.GetString(e.Key));
        Assert.Equal("ok", Encoding.ASCII.GetString(e.Value.StringValue()));
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.ChecksumVerified);
        Assert.Equal(["mystream", "mymodule"], reader.SkippedKeys.Select(k => Encoding.ASCII.GetString(k.Key)));
        Assert.Equal("#!lua name=lib\nredis.register_function('f', function() return 1 end)", System.Text.Encoding.UTF8.GetString(Assert.Single(reader.FunctionLibraries)));
        Assert.Contains(reader.Warnings, w => w.Contains("'mystream'"));
    }

    [Fact]
    public void Old_encodings_written_by_hand_are_read_linked_list_zset_with_text_scores_and_seconds_expiry()
    {
        var ms = new MemoryStream();
        var o = new RdbOutput(ms);
        o.Write("REDIS0006"u8);
        o.WriteByte(RdbOpcode.SelectDb); o.WriteLength(3);
        o.WriteByte(RdbOpcode.ExpireTime); o.Write(BitConverter.GetBytes(2_000_000_000u));
        o.WriteByte(RdbValueType.List); o.WriteString("l"u8); o.WriteLength(2); o.WriteString("x"u8); o.WriteString("42"u8);
        o.WriteByte(RdbValueType.SortedSet); o.WriteString("z"u8); o.WriteLength(3);
        o.WriteString("a"u8); o.WriteByte(3); o.Write("2.5"u8);
        o.WriteString("b"u8); o.WriteByte(255);
        o.WriteString("c"u8); o.WriteByte(254);
        o.WriteByte(RdbOpcode.Eof);
        o.WriteUInt64LittleEndian(o.TakeCrc());
        o.Flush();

        var read = Dataset.Read(new RdbReader(new MemoryStream(ms.ToArray())));
        var list = read.Keys[(3, "l")];
        Assert.Equal(["x", "42"], list.List);
        Assert.Equal(2_000_000_000_000L, list.ExpireAtUnixMs);
        var z = read.Keys[(3, "z")];
        Assert.Null(z.ExpireAtUnixMs);
        Assert.Equal(2.5, z.SortedSet["a"]);
        Assert.Equal(double.NegativeInfinity, z.SortedSet["b"]);
        Assert.Equal(double.PositiveInfinity, z.SortedSet["c"]);
    }

    [Fact]
    public void Version_newer_than_11_is_refused()
    {
        var e = Assert.Throws<RdbFormatException>(() => new RdbReader(new MemoryStream("REDIS0012\xff"u8.ToArray())));
        Assert.Equal(5, e.Offset);
    }
}
