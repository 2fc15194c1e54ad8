using System.Diagnostics;
using TieredKv.Rdb.Format;
using TieredKv.Rdb.Tests.Harness;

namespace TieredKv.Rdb.Tests;

/// <summary>Files from a real redis-server are read as it holds them; files we write pass redis-check-rdb and load into it unchanged.</summary>
public sealed class RedisCompatibilityTests
{
    private static readonly int[] AllDbs = Enumerable.Range(0, 16).ToArray();

    [SkippableFact]
    public void Dump_rdb_saved_by_redis_with_every_type_and_encoding_reads_as_written()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        c.Call("CONFIG", "SET", "list-compress-depth", "1"); // inner quicklist nodes are then stored LZF-compressed
        var data = Dataset.Everything();
        data.FillServer(c);
        Assert.Equal("OK", c.Call("SAVE"));

        using var file = File.OpenRead(redis.RdbPath);
        var reader = new RdbReader(file);
        var encodings = new HashSet<byte>();
        var read = new Dataset();
        while (reader.TryReadNext(out var e))
        {
            encodings.Add(e.Value.RdbType);
            read.Add(e.Db, KeyModel.S(e.Key), KeyModel.FromRdb(e));
        }
        Dataset.AssertSame(data, read);
        Assert.True(reader.ChecksumVerified);
        Assert.Equal(10, reader.Version);
        Assert.Contains(reader.Aux, a => a.Key == "redis-ver" && a.Value.StartsWith("7.", StringComparison.Ordinal));
        byte[] expected = [RdbValueType.String, RdbValueType.Hash, RdbValueType.HashListpack, RdbValueType.Set, RdbValueType.SetIntset,
                           RdbValueType.SortedSet2, RdbValueType.SortedSetListpack, RdbValueType.ListQuicklist2];
        Assert.Subset(encodings, expected.ToHashSet());
    }

    [SkippableTheory]
    [InlineData("encodings.rdb", new[] { RdbValueType.ListZiplist, RdbValueType.SetIntset, RdbValueType.SortedSetZiplist, RdbValueType.HashZiplist })]
    [InlineData("hash-zipmap.rdb", new[] { RdbValueType.HashZipmap })]
    [InlineData("hash-ziplist.rdb", new[] { RdbValueType.HashZiplist })]
    [InlineData("list-quicklist.rdb", new[] { RdbValueType.ListQuicklist })]
    [InlineData("zset-ziplist.rdb", new[] { RdbValueType.SortedSetZiplist })]
    public void Old_format_file_reads_as_redis_loads_it(string asset, byte[] encodingsInFile)
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string dir = Path.Combine(Path.GetTempPath(), "rdbasset-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, asset);
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Assets", asset), path);
            var ours = new Dataset();
            var encodings = new HashSet<byte>();
            using (var f = File.OpenRead(path))
            {
                var reader = new RdbReader(f);
                while (reader.TryReadNext(out var e))
                {
                    encodings.Add(e.Value.RdbType);
                    ours.Add(e.Db, KeyModel.S(e.Key), KeyModel.FromRdb(e));
                }
            }
            Assert.NotEmpty(ours.Keys);
            using var redis = new RedisServer(rdbToLoad: path);
            using var c = new ValueClient(redis.Port);
            var theirs = Dataset.ReadServer(c, AllDbs);
            // Redis drops keys whose expiry passed; these files' keys have none.
            Dataset.AssertSame(theirs, ours);
            Assert.Subset(encodings, encodingsInFile.ToHashSet());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void Rdb_written_by_us_passes_redis_check_rdb_and_loads_into_redis_unchanged()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string dir = Path.Combine(Path.GetTempPath(), "rdbours-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "ours.rdb");
            var data = Dataset.Everything(seed: 2, scale: 3);
            using (var f = File.Create(path)) data.WriteRdb(f);

            string check = RunCheckRdb(path);
            Assert.Contains("RDB looks OK", check);

            using var redis = new RedisServer(rdbToLoad: path);
            using var c = new ValueClient(redis.Port);
            Dataset.AssertSame(data, Dataset.ReadServer(c, AllDbs));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void Redis_check_rdb_rejects_our_file_with_one_flipped_byte_so_the_check_above_can_fail()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        string path = Path.Combine(Path.GetTempPath(), "rdbflip-" + Guid.NewGuid().ToString("N") + ".rdb");
        try
        {
            var ms = new MemoryStream();
            Dataset.Everything().WriteRdb(ms);
            byte[] bytes = ms.ToArray();
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(path, bytes);
            Assert.DoesNotContain("RDB looks OK", RunCheckRdb(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableFact]
    public void Streams_with_groups_in_a_redis_file_are_skipped_its_function_libraries_collected_and_the_keys_around_them_read()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        c.Call("SET", "a:before", "1");
        for (int i = 0; i < 300; i++) c.Call("XADD", "stream:grouped", "*", "field", "value" + i, "n", i);
        c.Call("XGROUP", "CREATE", "stream:grouped", "g1", "0");
        c.Call("XGROUP", "CREATE", "stream:grouped", "g2", "$");
        c.Call("XREADGROUP", "GROUP", "g1", "alice", "COUNT", "5", "STREAMS", "stream:grouped", ">");
        c.Call("XREADGROUP", "GROUP", "g1", "bob", "COUNT", "3", "STREAMS", "stream:grouped", ">");
        var firstEntry = (List<object?>)c.Array("XRANGE", "stream:grouped", "-", "+", "COUNT", "1")[0]!;
        Assert.Equal(1L, c.Call("XACK", "stream:grouped", "g1", (byte[])firstEntry[0]!));
        c.Call("XDEL", "stream:grouped", (byte[])firstEntry[0]!);
        c.Call("XADD", "stream:plain", "*", "x", "y");
        c.Call("FUNCTION", "LOAD", "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)");
        c.Call("HSET", "z:after", "f", "v");
        Assert.Equal("OK", c.Call("SAVE"));

        using var f = File.OpenRead(redis.RdbPath);
        var reader = new RdbReader(f);
        var read = Dataset.Read(reader);
        Assert.Equal(["a:before", "z:after"], read.Keys.Keys.Select(k => k.Key));
        Assert.Equal(["stream:grouped", "stream:plain"], reader.SkippedKeys.Select(k => KeyModel.S(k.Key)).Order(StringComparer.Ordinal));
        Assert.All(reader.SkippedKeys, k => Assert.True(RdbValueType.IsStream(k.RdbType)));
        Assert.StartsWith("#!lua name=mylib", System.Text.Encoding.UTF8.GetString(Assert.Single(reader.FunctionLibraries)), StringComparison.Ordinal);
        Assert.True(reader.ChecksumVerified);
    }

    [SkippableFact]
    public void Every_single_bit_flip_of_a_redis_file_with_compact_encodings_is_detected()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using var c = new ValueClient(redis.Port);
        c.Call("CONFIG", "SET", "list-compress-depth", "1");
        c.Call("CONFIG", "SET", "list-max-listpack-size", "4");
        c.Call("HSET", "h", "f", "v", "n", "-70000", "big", "123456789012");
        c.Call("SADD", "i", "1", "-5", "100000");
        c.Call("ZADD", "z", "1.5", "a", "-3", "b", "inf", "c");
        c.Call("RPUSH", "l", "a", "1", "-100", new string('r', 60), "b", "c", "d", "e", "f", "g", "h", "i", "j", "k");
        c.Call("SET", "s", new string('x', 100));
        c.Call("SET", "n", "-12");
        c.Call("PEXPIREAT", "n", "4102444800000");
        Assert.Equal("OK", c.Call("SAVE"));
        byte[] file = File.ReadAllBytes(redis.RdbPath);
        Assert.True(file.Length < 2000, $"{file.Length} bytes");
        Dataset.Read(new RdbReader(new MemoryStream(file)));

        for (int i = 0; i < file.Length; i++)
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] damaged = (byte[])file.Clone();
                damaged[i] ^= (byte)(1 << bit);
                var e = Record.Exception(() => Dataset.Read(new RdbReader(new MemoryStream(damaged))));
                Assert.True(e is RdbFormatException, $"flip of bit {bit} at {i} of {file.Length}: {e?.ToString() ?? "no error"}");
                Assert.InRange(((RdbFormatException)e!).Offset, 0L, file.Length);
            }
        for (int cut = 0; cut < file.Length; cut++)
            Assert.Throws<RdbFormatException>(() => Dataset.Read(new RdbReader(new MemoryStream(file[..cut]))));
    }

    internal static string RunCheckRdb(string path)
    {
        string tool = RedisServer.Find("redis-check-rdb") ?? throw new InvalidOperationException("redis-check-rdb is not installed (apt-get install redis-tools)");
        using var p = Process.Start(new ProcessStartInfo(tool, path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
