using System.Text;
using TieredKv.Server.Tests.Harness;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;

namespace TieredKv.Server.Tests.Faults;

/// <summary>A disk that fills up under the server: writes are refused with MISCONF, reads go on, and writes come back by themselves once the disk can be written.</summary>
public sealed class DiskFullTests
{
    private static string Reply(RawClient c, params string[] args) => Encoding.UTF8.GetString(c.Call(args));

    private static string Info(RawClient c, string field) =>
        Reply(c, "INFO", "persistence").Split("\r\n").Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..];

    [Fact]
    public void FullDisk_RefusesWritesWithMisconf_ServesReads_AndRecoversWhenSpaceReturns()
    {
        var disk = new FaultInjectingFileSystem();
        using var server = new TieredKvServer(o => o.FileSystem = disk);
        using var c = new RawClient(server.Port);
        Assert.Equal("+OK\r\n", Reply(c, "SET", "before", "1"));

        var full = disk.Add(FaultRule.For(FaultOperation.Append, FileNames.Kind.Wal));
        // The write that meets the full disk ran before its pipeline's WAL commit failed: its client is
        // disconnected without a reply (never acknowledged) — or, when the once-a-second fsync thread met the full
        // disk first, refused with MISCONF. From then on every write is refused up front.
        using (var first = new RawClient(server.Port))
        {
            string? during = null;
            try
            {
                during = Reply(first, "SET", "during", "2");
            }
            catch (IOException)
            {
                // disconnected: the write was never acknowledged
            }
            Assert.True(during == null || during.StartsWith("-MISCONF ", StringComparison.Ordinal), $"the write meeting the full disk was answered {during}");
        }
        string refused = Reply(c, "SET", "later", "2");
        Assert.StartsWith("-MISCONF ", refused);
        Assert.Contains(FaultRule.NoSpace, refused);
        Assert.StartsWith("-MISCONF ", Reply(c, "LPUSH", "list", "x"));
        Assert.Equal("$1\r\n1\r\n", Reply(c, "GET", "before"));
        Assert.Equal("err", Info(c, "aof_last_write_status"));

        disk.Remove(full);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Info(c, "aof_last_write_status") != "ok")
        {
            Assert.True(DateTime.UtcNow < deadline, "writes were not accepted again after the disk recovered");
            Thread.Sleep(50);
        }
        Assert.Equal("+OK\r\n", Reply(c, "SET", "after", "3"));
        Assert.Equal("$1\r\n3\r\n", Reply(c, "GET", "after"));
        Assert.Equal("$1\r\n1\r\n", Reply(c, "GET", "before"));
        Assert.Equal("$-1\r\n", Reply(c, "GET", "later"));
    }
}
