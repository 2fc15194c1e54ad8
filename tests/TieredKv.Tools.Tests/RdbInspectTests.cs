using TieredKv.Tools.Tests.Harness;

namespace TieredKv.Tools.Tests;

public sealed class RdbInspectTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SampleData _sample = new();

    public void Dispose() => _temp.Dispose();

    private string SampleRdb()
    {
        // Named like no engine file: inspect must know it by its REDIS magic.
        string rdb = _temp.File("backup.bin");
        _sample.WriteRdb(rdb);
        return rdb;
    }

    [Fact]
    public void Rdb_ReportsVersionAuxKeysPerTypeAndDatabase_ExpiriesSizesAndChecksum()
    {
        var (exit, output, _) = KvToolRunner.Run("inspect", SampleRdb());

        Assert.Equal(0, exit);
        Assert.Contains("version           10", output);
        Assert.Contains("aux redis-ver     7.0.0", output);
        Assert.Contains("db 0              14 keys (5 string, 2 list, 3 set, 2 zset, 2 hash), 4 with expiry", output);
        Assert.Contains("db 1              2 keys (2 string), 1 with expiry", output);
        Assert.Contains("db 15             1 keys (1 list)", output);
        Assert.Contains($"keys              {_sample.Keys.Count} (5 with expiry)", output);
        long listBytes = _sample.Keys.Single(k => k.Key.SequenceEqual("list:large"u8.ToArray())).Items.Sum(i => (long)i.Length);
        Assert.Contains($"largest value     \"list:large\" in db 0 (list, {listBytes} bytes)", output);
        Assert.Contains("skipped keys      0", output);
        Assert.Contains("checksum          CRC-64 verified", output);
    }

    [Fact]
    public void Rdb_ValueBytes_CountStringsMembersAndHashValues()
    {
        long expected = _sample.Keys.Sum(k => k.Items.Sum(i => (long)i.Length));

        var (_, output, _) = KvToolRunner.Run("inspect", SampleRdb());

        Assert.Contains($"value bytes       {expected} ", output);
    }

    [Fact]
    public void TruncatedRdb_ExitsOne_WithTheOffset()
    {
        var bytes = File.ReadAllBytes(SampleRdb());
        string path = _temp.File("cut.rdb");
        File.WriteAllBytes(path, bytes[..1000]);

        var (exit, output, _) = KvToolRunner.Run("inspect", path);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {path} offset 1000: file ends", output);
        Assert.Contains("checksum          not reached", output);
    }

    [Fact]
    public void BitFlippedRdb_ExitsOne_WithTheChecksumOffset()
    {
        var bytes = File.ReadAllBytes(SampleRdb());
        bytes[bytes.AsSpan().IndexOf("soon gone"u8)] ^= 0x20;
        string path = _temp.File("flipped.rdb");
        File.WriteAllBytes(path, bytes);

        var (exit, output, _) = KvToolRunner.Run("inspect", path);

        Assert.Equal(1, exit);
        Assert.Contains($"CORRUPTION {path} offset {bytes.Length - 8}: CRC-64 mismatch", output);
    }

    [SkippableFact]
    public void RedisSavedRdb_CountsItsStream()
    {
        Skip.IfNot(RedisServer.Installed, RedisServer.SkipMessage);
        using var redis = new RedisServer();
        using (var c = redis.Connect())
        {
            _sample.WriteServer(c);
            c.CallOrThrow("XADD", "events", "*", "a", "1");
            c.CallOrThrow("SAVE");
        }

        var (exit, output, _) = KvToolRunner.Run("inspect", Path.Combine(redis.Directory, "dump.rdb"));

        Assert.Equal(0, exit);
        Assert.Contains("aux redis-ver     7.", output);
        Assert.Contains($"keys              {_sample.Keys.Count + 1} (5 with expiry)", output);
        Assert.Contains("1 stream", output);
        Assert.Contains("skipped keys      0", output);
        Assert.Contains("checksum          CRC-64 verified", output);
    }
}
