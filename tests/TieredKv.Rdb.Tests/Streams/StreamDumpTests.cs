using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests.Streams;

/// <summary>
/// Streams through DUMP and RESTORE with a real Redis: its payloads read into our model field for field, and
/// our payloads RESTORE (with deep payload sanitization on) into streams that XINFO STREAM FULL and XRANGE
/// cannot tell from the original.
/// </summary>
public sealed class StreamDumpTests
{
    private const string Sanitize = "--sanitize-dump-payload yes";

    [SkippableFact]
    public void Redis_dump_of_a_stream_with_groups_reads_every_entry_counter_group_pending_entry_and_consumer()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(Sanitize);
        using var c = new ValueClient(redis.Port);
        StreamFixtures.BuildRich(c, "s");

        var read = StreamSnapshot.FromPayload(c.Bulk("DUMP", "s")!);

        Assert.Equal(StreamSnapshot.DescribeRedis(c, "s"), read.Describe());
        Assert.Contains(read.Groups, g => g.EntriesRead == -1);
        Assert.Contains(read.Groups.SelectMany(g => g.Pending), p => p.DeliveryCount == 7);
        Assert.Contains(read.Groups.SelectMany(g => g.Pending), p => p.DeliveryTimeMs == 1700000000123);
        Assert.True(read.Metadata.LastId > read.Entries[^1].Id);
    }

    [SkippableFact]
    public void Redis_dump_payload_is_type_19()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        c.Call("XADD", "s", "*", "f", "v");
        var value = DumpPayload.Decode(c.Bulk("DUMP", "s")!, readStreams: true);
        Assert.Equal(RdbValueType.StreamListpacks2, value.RdbType);
        Assert.Equal(RdbValueType.StreamListpacks2, value.Stream().RdbType);
    }

    [SkippableFact]
    public void Our_payload_of_a_stream_with_groups_restores_into_redis_identical_to_the_original()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(Sanitize);
        using var c = new ValueClient(redis.Port);
        StreamFixtures.BuildRich(c, "s");
        var read = StreamSnapshot.FromPayload(c.Bulk("DUMP", "s")!);

        byte[] ours = read.ToPayload();

        Assert.Equal(RdbValueType.StreamListpacks2, ours[0]);
        Assert.Equal("OK", c.Call("RESTORE", "copy", "0", ours));
        Assert.Equal(StreamSnapshot.DescribeRedis(c, "s"), StreamSnapshot.DescribeRedis(c, "copy"));
        Assert.Equal("stream", c.Call("TYPE", "copy"));
    }

    [SkippableFact]
    public void Restored_stream_keeps_working_as_a_stream_in_redis()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(Sanitize);
        using var c = new ValueClient(redis.Port);
        StreamFixtures.BuildRich(c, "s");
        byte[] ours = StreamSnapshot.FromPayload(c.Bulk("DUMP", "s")!).ToPayload();
        Assert.Equal("OK", c.Call("RESTORE", "copy", "0", ours));

        // The same commands on both give the same replies: IDs continue after the raised last ID, groups deliver on.
        var replies = new Dictionary<string, string>();
        foreach (string key in new[] { "s", "copy" })
        {
            var info = c.Array("XINFO", "STREAM", key);
            string last = StreamSnapshot.Render(info[info.FindIndex(x => x is byte[] b && System.Text.Encoding.ASCII.GetString(b) == "last-generated-id") + 1]);
            var steps = new List<object?>
            {
                c.Call("XADD", key, "*", "after", "restore") is byte[] added && string.CompareOrdinal(System.Text.Encoding.ASCII.GetString(added), last) != 0,
                Entries(c.Call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "3", "STREAMS", key, "0")),
                Entries(c.Call("XREADGROUP", "GROUP", "g3", "bob", "COUNT", "3", "STREAMS", key, ">")),
                c.Call("XAUTOCLAIM", key, "g1", "erin", "0", "0", "COUNT", "100", "JUSTID"),
                c.Call("XINFO", "GROUPS", key),
                c.Call("XPENDING", key, "g1"),
                c.Call("XLEN", key),
            };
            replies[key] = StreamSnapshot.Render(steps);
        }
        Assert.Equal(replies["s"], replies["copy"]);
    }

    [SkippableFact]
    public void Append_only_stream_is_split_into_the_nodes_redis_made()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(Sanitize);
        using var c = new ValueClient(redis.Port);
        StreamFixtures.BuildAppendOnly(c, "s", 3000);
        byte[] ours = StreamSnapshot.FromPayload(c.Bulk("DUMP", "s")!).ToPayload();

        Assert.Equal("OK", c.Call("RESTORE", "copy", "0", ours));

        long nodes = StreamSnapshot.RadixTreeKeys(c, "s");
        Assert.True(nodes > 40, $"{nodes} nodes: the fixture should fill nodes by bytes and by entries");
        Assert.Equal(nodes, StreamSnapshot.RadixTreeKeys(c, "copy"));
        Assert.Equal(StreamSnapshot.DescribeRedis(c, "s"), StreamSnapshot.DescribeRedis(c, "copy"));
    }

    [SkippableFact]
    public void Append_only_stream_nodes_are_byte_for_byte_the_listpacks_redis_built()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        StreamFixtures.BuildAppendOnly(c, "s", 1500, seed: 9);
        byte[] theirs = c.Bulk("DUMP", "s")!;

        byte[] ours = StreamSnapshot.FromPayload(theirs).ToPayload();

        // LZF output may differ between compressors; the node keys and the listpacks inside must not.
        var expected = Nodes(theirs);
        Assert.True(expected.Count > 20);
        Assert.Equal(expected, Nodes(ours));
    }

    [SkippableFact]
    public void Empty_streams_with_and_without_groups_round_trip()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(Sanitize);
        using var c = new ValueClient(redis.Port);
        c.Call("XGROUP", "CREATE", "fresh", "g", "$", "MKSTREAM");
        var id = c.Bulk("XADD", "emptied", "*", "f", "v")!;
        c.Call("XDEL", "emptied", id);

        foreach (string key in new[] { "fresh", "emptied" })
        {
            var read = StreamSnapshot.FromPayload(c.Bulk("DUMP", key)!);
            Assert.Empty(read.Entries);
            Assert.Equal(StreamSnapshot.DescribeRedis(c, key), read.Describe());
            Assert.Equal("OK", c.Call("RESTORE", key + ":copy", "0", read.ToPayload()));
            Assert.Equal(StreamSnapshot.DescribeRedis(c, key), StreamSnapshot.DescribeRedis(c, key + ":copy"));
        }
    }

    [SkippableFact]
    public void Stream_of_fifty_thousand_entries_round_trips_through_dump_and_restore()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer(Sanitize);
        using var c = new ValueClient(redis.Port);
        StreamFixtures.BuildAppendOnly(c, "big", 50_000, seed: 5);
        c.Call("XGROUP", "CREATE", "big", "readers", "0");
        c.Call("XREADGROUP", "GROUP", "readers", "r1", "COUNT", "2000", "STREAMS", "big", ">");
        var read = StreamSnapshot.FromPayload(c.Bulk("DUMP", "big")!);
        Assert.Equal(50_000, read.Entries.Count);

        Assert.Equal("OK", c.Call("RESTORE", "copy", "0", read.ToPayload()));

        Assert.Equal(StreamSnapshot.RadixTreeKeys(c, "big"), StreamSnapshot.RadixTreeKeys(c, "copy"));
        Assert.Equal(StreamSnapshot.DescribeRedis(c, "big"), StreamSnapshot.DescribeRedis(c, "copy"));
    }

    [Fact]
    public void Streams_stay_refused_by_decode_unless_asked_for()
    {
        var payload = DumpPayload.EncodeStream([new(new StreamId(1, 1), [new("f"u8.ToArray(), "v"u8.ToArray())])],
            new(1, new StreamId(1, 1), new StreamId(1, 1), StreamId.Min, 1), []);
        var e = Assert.Throws<DumpPayloadException>(() => DumpPayload.Decode(payload));
        Assert.Equal("ERR Bad data format: streams are not supported", e.Message);
        Assert.True(DumpPayload.Decode(payload, readStreams: true).IsStream);
    }

    /// <summary>The entries of an XREADGROUP reply for one key, without the key's name.</summary>
    private static object? Entries(object? reply) => ((List<object?>)((List<object?>)reply!)[0]!)[1];

    /// <summary>Each node of a type 19 payload as the hex of its key and of its (decompressed) listpack.</summary>
    private static List<string> Nodes(byte[] payload)
    {
        var input = new RdbInput(new MemoryStream(payload, 0, payload.Length - 10), payload.Length);
        Assert.Equal(RdbValueType.StreamListpacks2, input.ReadByte("type"));
        ulong count = input.ReadLength("node count");
        var nodes = new List<string>();
        for (ulong i = 0; i < count; i++) nodes.Add(Convert.ToHexString(input.ReadString("key")) + " " + Convert.ToHexString(input.ReadString("listpack")));
        return nodes;
    }
}
