using TieredKv.Rdb.Format;
using TieredKv.Rdb.Streams;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests.Streams;

/// <summary>Streams in whole RDB files: Redis's SAVE read by us, and our files checked by redis-check-rdb and loaded by redis-server.</summary>
public sealed class StreamRdbFileTests
{
    private static readonly string[] Keys = ["rich", "appended", "fresh"];

    [SkippableFact]
    public void Redis_save_file_streams_read_as_redis_holds_them_beside_other_keys()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        Fill(c);
        Assert.Equal("OK", c.Call("SAVE"));

        using var f = File.OpenRead(redis.RdbPath);
        var reader = new RdbReader(f) { ReadStreams = true };
        var streams = new Dictionary<string, string>();
        var others = new List<string>();
        while (reader.TryReadNext(out var e))
        {
            if (e.Value.IsStream)
            {
                Assert.Equal(RdbValueType.StreamListpacks2, e.Value.RdbType);
                streams[KeyModel.S(e.Key)] = StreamSnapshot.Read(e.Value.Stream()).Describe();
            }
            else
            {
                others.Add(KeyModel.S(e.Key));
            }
        }
        Assert.True(reader.ChecksumVerified);
        Assert.Empty(reader.SkippedKeys);
        Assert.Equal(["after", "before"], others.Order(StringComparer.Ordinal));
        Assert.Equal(Keys.Order(StringComparer.Ordinal), streams.Keys.Order(StringComparer.Ordinal));
        foreach (string key in Keys) Assert.Equal(StreamSnapshot.DescribeRedis(c, key), streams[key]);
    }

    [SkippableFact]
    public void Entries_left_unread_are_passed_over_and_the_next_key_reads()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        Fill(c);
        Assert.Equal("OK", c.Call("SAVE"));

        using var f = File.OpenRead(redis.RdbPath);
        var reader = new RdbReader(f) { ReadStreams = true };
        var seen = new List<string>();
        while (reader.TryReadNext(out var e))
        {
            seen.Add(KeyModel.S(e.Key));
            if (e.Value.IsStream && KeyModel.S(e.Key) == "rich") Assert.Equal(4, e.Value.Stream().Groups.Count); // groups without the entries
            if (e.Value.IsStream && KeyModel.S(e.Key) == "appended") Assert.Single(e.Value.Stream().Entries().Take(1));
        }
        Assert.Equal(5, seen.Count);
        Assert.True(reader.ChecksumVerified);
    }

    [SkippableFact]
    public void Rdb_file_we_write_with_streams_passes_redis_check_rdb_and_loads_into_redis_unchanged()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var source = new RedisServer();
        using var c = new ValueClient(source.Port);
        Fill(c);
        using var dir = new TempDirectory("rdbstreams-");
        string path = Path.Combine(dir.Path, "ours.rdb");
        using (var f = File.Create(path))
        {
            var writer = new RdbWriter(f);
            writer.SelectDatabase(0, Keys.Length + 1, 1);
            writer.WriteString("before"u8, "1"u8);
            foreach (string key in Keys)
            {
                var s = StreamSnapshot.FromPayload(c.Bulk("DUMP", key)!);
                long? expiry = key == "appended" ? DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds() : null;
                writer.WriteStream(KeyModel.B(key), s.Entries, s.Metadata, s.Groups, expiry);
            }
            writer.Finish();
        }

        Assert.Contains("RDB looks OK", RedisCompatibilityTests.RunCheckRdb(path));
        using var loaded = new RedisServer(rdbToLoad: path);
        using var l = new ValueClient(loaded.Port);
        foreach (string key in Keys) Assert.Equal(StreamSnapshot.DescribeRedis(c, key), StreamSnapshot.DescribeRedis(l, key));
        Assert.Equal(StreamSnapshot.RadixTreeKeys(c, "appended"), StreamSnapshot.RadixTreeKeys(l, "appended"));
        Assert.InRange(l.Integer("PTTL", "appended"), 1, 86_400_000);
        Assert.Equal("1", KeyModel.S(l.Bulk("GET", "before")!));
    }

    [Fact]
    public void Our_file_with_streams_reads_back_through_our_reader()
    {
        var entries = Enumerable.Range(1, 1000).Select(i => new RdbStreamEntry(new StreamId((ulong)i, 0),
            [new("n"u8.ToArray(), KeyModel.B(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))])).ToList();
        var metadata = new RdbStreamMetadata(1000, new StreamId(1000, 0), new StreamId(1, 0), StreamId.Min, 1000);
        var ms = new MemoryStream();
        var writer = new RdbWriter(ms);
        writer.SelectDatabase(0, 2, 0);
        writer.WriteStream("s"u8, entries, metadata, []);
        writer.WriteString("after"u8, "x"u8);
        writer.Finish();

        var reader = new RdbReader(new MemoryStream(ms.ToArray())) { ReadStreams = true };
        Assert.True(reader.TryReadNext(out var e));
        var read = StreamSnapshot.Read(e.Value.Stream());
        Assert.Equal(new StreamSnapshot(entries, metadata, []).Describe(), read.Describe());
        Assert.True(reader.TryReadNext(out var after));
        Assert.Equal("after", KeyModel.S(after.Key));
        Assert.False(reader.TryReadNext(out _));
        Assert.True(reader.ChecksumVerified);
    }

    [Fact]
    public void Without_read_streams_a_stream_key_is_still_skipped_and_reported()
    {
        var ms = new MemoryStream();
        var writer = new RdbWriter(ms);
        writer.SelectDatabase(0, 2, 0);
        writer.WriteStream("s"u8, [new(new StreamId(5, 0), [new("f"u8.ToArray(), "v"u8.ToArray())])],
            new(1, new StreamId(5, 0), new StreamId(5, 0), StreamId.Min, 1), []);
        writer.WriteString("after"u8, "x"u8);
        writer.Finish();

        var reader = new RdbReader(new MemoryStream(ms.ToArray()));
        Assert.True(reader.TryReadNext(out var e));
        Assert.Equal("after", KeyModel.S(e.Key));
        Assert.Equal(["s"], reader.SkippedKeys.Select(k => KeyModel.S(k.Key)));
    }

    private static void Fill(ValueClient c)
    {
        c.Call("SET", "before", "1");
        StreamFixtures.BuildRich(c, "rich");
        StreamFixtures.BuildAppendOnly(c, "appended", 1200);
        c.Call("XGROUP", "CREATE", "fresh", "g", "$", "MKSTREAM");
        c.Call("HSET", "after", "f", "v");
    }
}
