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
        Skip.IfNot(RedisProcess.Installed, RedisProcess.SkipMessage);
        using var redis = new RedisProcess();
        using var c = redis.Connect();
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
        Skip.IfNot(RedisProcess.Installed, RedisProcess.SkipMessage);
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
            using var redis = new RedisProcess(path);
            using var c = redis.Connect();
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
        Skip.IfNot(RedisProcess.Installed, RedisProcess.SkipMessage);
        string dir = Path.Combine(Path.GetTempPath(), "rdbours-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "ours.rdb");
            var data = Dataset.Everything(seed: 2, scale: 3);
            using (var f = File.Create(path)) data.WriteRdb(f);

            string check = RunCheckRdb(path);
            Assert.Contains("RDB looks OK", check);

            using var redis = new RedisProcess(path);
            using var c = redis.Connect();
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
        Skip.IfNot(RedisProcess.Installed, RedisProcess.SkipMessage);
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

    private static string RunCheckRdb(string path)
    {
        string tool = RedisProcess.Find("redis-check-rdb") ?? throw new InvalidOperationException("redis-check-rdb is not installed (apt-get install redis-tools)");
        using var p = Process.Start(new ProcessStartInfo(tool, path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
