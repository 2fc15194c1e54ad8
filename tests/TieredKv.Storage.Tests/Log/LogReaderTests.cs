using System.Buffers.Binary;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;

namespace TieredKv.Storage.Tests.Log;

public sealed class LogReaderTests
{
    private readonly LocalFileSystem _fs = new();

    private string WriteRecords(TempDirectory dir, params byte[][] payloads)
    {
        string path = dir.File("records.log");
        using var writer = new LogWriter(_fs.CreateWritable(path));
        foreach (byte[] payload in payloads) writer.AddRecord(payload);
        writer.Commit(sync: false);
        return path;
    }

    private List<(LogReadStatus Status, long Offset, byte[] Payload, LogDamage Damage)> ReadAll(string path)
    {
        var seen = new List<(LogReadStatus, long, byte[], LogDamage)>();
        using var file = _fs.OpenRandomAccess(path);
        var reader = new LogReader(file);
        while (true)
        {
            var status = reader.ReadNext();
            if (status == LogReadStatus.EndOfFile) return seen;
            seen.Add(status == LogReadStatus.Record
                ? (status, reader.RecordOffset, reader.Payload.ToArray(), default)
                : (status, reader.Damage.Offset, [], reader.Damage));
            if (status == LogReadStatus.TornTail) return seen;
        }
    }

    [Fact]
    public void ReadNext_ReturnsRecordsWithOffsets()
    {
        using var dir = new TempDirectory();
        string path = WriteRecords(dir, "one"u8.ToArray(), [], new byte[100_000], "four"u8.ToArray());
        var seen = ReadAll(path);
        Assert.Equal([LogReadStatus.Record, LogReadStatus.Record, LogReadStatus.Record, LogReadStatus.Record], seen.Select(s => s.Status));
        Assert.Equal([0L, 11, 19, 100_027], seen.Select(s => s.Offset));
        Assert.Equal("four"u8.ToArray(), seen[3].Payload);
        Assert.Equal(100_000, seen[2].Payload.Length);
    }

    [Fact]
    public void ReadNext_ReportsTornTail_WhenHeaderIsCutShort()
    {
        using var dir = new TempDirectory();
        string path = WriteRecords(dir, "one"u8.ToArray());
        File.AppendAllBytes(path, [1, 2, 3]);
        var seen = ReadAll(path);
        Assert.Equal(LogReadStatus.TornTail, seen[^1].Status);
        Assert.Equal(new LogDamage(11, 3, seen[^1].Damage.Reason), seen[^1].Damage);
        Assert.Contains("header cut short", seen[^1].Damage.Reason);
    }

    [Fact]
    public void ReadNext_ReportsCorruption_AndResumesAtTheNextValidRecord()
    {
        using var dir = new TempDirectory();
        string path = WriteRecords(dir, "one"u8.ToArray(), "two"u8.ToArray(), "three"u8.ToArray());
        byte[] bytes = File.ReadAllBytes(path);
        bytes[11 + 9] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var seen = ReadAll(path);
        Assert.Equal([LogReadStatus.Record, LogReadStatus.Damage, LogReadStatus.Record], seen.Select(s => s.Status));
        Assert.Equal(new LogDamage(11, 11, "checksum mismatch"), seen[1].Damage);
        Assert.Equal("three"u8.ToArray(), seen[2].Payload);
    }

    [Theory]
    [InlineData(0x8000_0000u, "exceeds the maximum")]
    [InlineData(0x4000_0000u, "runs past the end")]
    [InlineData(0xFFFF_FFFFu, "exceeds the maximum")]
    public void ReadNext_HugeLengthAtTheEnd_IsATornTailAndAllocatesLittle(uint claimedLength, string reason)
    {
        using var dir = new TempDirectory();
        string path = WriteRecords(dir, "one"u8.ToArray());
        byte[] header = new byte[8 + 20];
        BinaryPrimitives.WriteUInt32LittleEndian(header, claimedLength);
        File.AppendAllBytes(path, header);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var seen = ReadAll(path);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "reader allocated from the claimed length");
        Assert.Equal(LogReadStatus.TornTail, seen[^1].Status);
        Assert.Equal(11, seen[^1].Damage.Offset);
        Assert.Contains(reason, seen[^1].Damage.Reason);
    }

    [Fact]
    public void ReadNext_HugeLengthFollowedByAValidRecord_IsCorruption()
    {
        using var dir = new TempDirectory();
        string path = WriteRecords(dir, "one"u8.ToArray(), "two"u8.ToArray(), "three"u8.ToArray());
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(11), 0x8000_0000u);
        File.WriteAllBytes(path, bytes);

        var seen = ReadAll(path);
        Assert.Equal([LogReadStatus.Record, LogReadStatus.Damage, LogReadStatus.Record], seen.Select(s => s.Status));
        Assert.Equal(11, seen[1].Damage.Offset);
        Assert.Equal(11, seen[1].Damage.Length);
    }

    [Fact]
    public void ReadNext_ZeroFilledTail_IsATornTail()
    {
        using var dir = new TempDirectory();
        string path = WriteRecords(dir, "one"u8.ToArray());
        File.AppendAllBytes(path, new byte[4096]);
        var seen = ReadAll(path);
        Assert.Equal([LogReadStatus.Record, LogReadStatus.TornTail], seen.Select(s => s.Status));
        Assert.Equal(new LogDamage(11, 4096, "checksum mismatch"), seen[1].Damage);
    }

    [Fact]
    public void ReadNext_RecordsStraddlingBufferRefills_RoundTripAndResync()
    {
        using var dir = new TempDirectory();
        var payloads = Enumerable.Range(0, 40)
            .Select(i => Enumerable.Range(0, i * 1733 % 9000 + (i == 7 ? 70_000 : 0)).Select(j => (byte)(i + j * 7)).ToArray())
            .ToArray();
        string path = WriteRecords(dir, payloads);
        var clean = ReadAll(path);
        Assert.Equal(payloads.Length, clean.Count);
        for (int i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], clean[i].Payload);

        // Damage a record that crosses the first 64 KiB refill; the resync scan must cross it too.
        int victim = clean.FindIndex(r => r.Offset + 8 + r.Payload.Length > 64 * 1024);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[clean[victim].Offset + 3] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        var damaged = ReadAll(path);
        Assert.Equal(LogReadStatus.Damage, damaged[victim].Status);
        Assert.Equal(clean[victim + 1].Offset - clean[victim].Offset, damaged[victim].Damage.Length);
        Assert.Equal(payloads.Length, damaged.Count);
        for (int i = victim + 1; i < payloads.Length; i++) Assert.Equal(payloads[i], damaged[i].Payload);
    }
}
