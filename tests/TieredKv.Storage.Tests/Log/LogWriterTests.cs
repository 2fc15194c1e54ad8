using System.Buffers.Binary;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;
using TieredKv.Storage.Tests.Wal;
using TieredKv.Storage.Util;

namespace TieredKv.Storage.Tests.Log;

public sealed class LogWriterTests
{
    private readonly LocalFileSystem _fs = new();

    [Fact]
    public void AddRecord_WritesLengthMaskedCrcAndPayload()
    {
        using var dir = new TempDirectory();
        string path = dir.File("framing.log");
        using (var writer = new LogWriter(_fs.CreateWritable(path)))
        {
            writer.AddRecord("hello"u8);
            writer.Commit(sync: false);
        }

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(8 + 5, bytes.Length);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        uint expectedCrc = Crc32C.Mask(Crc32C.Compute([5, 0, 0, 0, .. "hello"u8]));
        Assert.Equal(expectedCrc, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("hello"u8.ToArray(), bytes[8..]);
    }

    [Fact]
    public void Commit_WritesTheWholeGroupWithOneAppendAndOneSync()
    {
        using var dir = new TempDirectory();
        var file = new CountingWritableFile(_fs.CreateWritable(dir.File("group.log")));
        using var writer = new LogWriter(file);
        writer.AddRecord("a"u8);
        writer.AddRecord("bb"u8);
        writer.AddRecord("ccc"u8);
        Assert.Equal(3 * 8 + 6, writer.Length);
        writer.Commit(sync: true);

        Assert.Equal(1, file.Appends);
        Assert.Equal(1, file.Flushes);
        Assert.Equal(1, file.Syncs);
        Assert.Equal(0, writer.PendingBytes);
        Assert.Equal(3 * 8 + 6, file.Length);
    }

    [Fact]
    public void Commit_RefusesFurtherUseAfterAFailedWrite()
    {
        using var dir = new TempDirectory();
        var file = new CountingWritableFile(_fs.CreateWritable(dir.File("fail.log"))) { FailAppends = true };
        using var writer = new LogWriter(file);
        writer.AddRecord("x"u8);
        Assert.Throws<IOException>(() => writer.Commit(sync: false));

        file.FailAppends = false;
        var e = Assert.Throws<IOException>(() => writer.AddRecord("y"u8));
        Assert.Contains("unusable", e.Message);
        Assert.Throws<IOException>(() => writer.Commit(sync: true));
    }

    [Fact]
    public void AddRecord_SteadyStateDoesNotAllocate()
    {
        using var dir = new TempDirectory();
        using var writer = new LogWriter(new NullWritableFile());
        byte[] payload = new byte[200];
        for (int i = 0; i < 100; i++) writer.AddRecord(payload);
        writer.Commit(sync: false);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < 10; i++) writer.AddRecord(payload);
            writer.Commit(sync: true);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private sealed class NullWritableFile : IWritableFile
    {
        public string Path => "null.log";
        public long Length { get; private set; }
        public void Append(ReadOnlySpan<byte> data) => Length += data.Length;
        public void Flush() { }
        public void Sync() { }
        public void Dispose() { }
    }
}
