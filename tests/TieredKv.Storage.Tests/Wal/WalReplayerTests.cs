using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Log;
using TieredKv.Storage.Wal;

namespace TieredKv.Storage.Tests.Wal;

public sealed class WalReplayerTests
{
    private readonly LocalFileSystem _fs = new();

    [Fact]
    public void CutAtEveryOffsetOfTheLastRecord_RecoversThePrefixAndTruncates()
    {
        using var dir = new TempDirectory();
        string original = dir.File("000001.wal");
        const int n = 6;
        var (written, starts) = WalTestData.WriteSegment(_fs, original, n);
        byte[] full = File.ReadAllBytes(original);
        long lastStart = starts[^1];

        // A record to append after recovery, framed by the real writer.
        string extraPath = dir.File("extra.wal");
        var extraBatch = WalTestData.MakeBatch(100);
        ulong extraSequence = written[^2].LastSequence + 1;
        using (var extraWriter = new WalWriter(_fs.CreateWritable(extraPath), 9))
            extraWriter.AddBatch(extraSequence, extraBatch);
        byte[] extraRecord = File.ReadAllBytes(extraPath);

        string path = dir.File("000002.wal");
        for (long cut = lastStart; cut < full.Length; cut++)
        {
            File.WriteAllBytes(path, full.AsSpan(0, (int)cut));
            var (result, applied) = WalTestData.Replay(_fs, path);

            WalTestData.AssertSame(written.Take(n - 1), applied);
            Assert.Equal(written[^2].LastSequence, result.LastSequence);
            Assert.Equal(lastStart, result.ValidLength);
            Assert.Equal(lastStart, new FileInfo(path).Length);
            if (cut == lastStart)
            {
                Assert.Null(result.TornTailOffset);
            }
            else
            {
                Assert.Equal(lastStart, result.TornTailOffset);
                Assert.Equal(cut - lastStart, result.TornTailBytes);
            }

            File.AppendAllBytes(path, extraRecord);
            var (again, appliedAgain) = WalTestData.Replay(_fs, path);
            WalTestData.AssertSame(
                written.Take(n - 1).Append(new WrittenBatch(extraSequence, extraBatch.Representation.ToArray(), extraBatch.Count)),
                appliedAgain);
            Assert.Null(again.TornTailOffset);
        }
    }

    [Fact]
    public void FlippedBitInAnyRecord_IsCorruptionBeforeTheLastRecordAndATornTailInIt()
    {
        using var dir = new TempDirectory();
        string original = dir.File("000001.wal");
        const int n = 5;
        var (written, starts) = WalTestData.WriteSegment(_fs, original, n);
        byte[] full = File.ReadAllBytes(original);
        string path = dir.File("000002.wal");

        for (int bit = 0; bit < full.Length * 8; bit++)
        {
            int position = bit / 8;
            int record = starts.FindLastIndex(s => s <= position);
            byte[] damaged = (byte[])full.Clone();
            damaged[position] ^= (byte)(1 << (bit % 8));
            File.WriteAllBytes(path, damaged);

            var applied = new List<WrittenBatch>();
            if (record < n - 1)
            {
                var e = Assert.Throws<CorruptionException>(() => WalTestData.Replay(_fs, path, applied: applied));
                Assert.Equal(path, e.FileName);
                Assert.Equal(starts[record], e.Offset);
                WalTestData.AssertSame(written.Take(record), applied);
            }
            else
            {
                var (result, _) = WalTestData.Replay(_fs, path, applied: applied);
                Assert.Equal(starts[record], result.TornTailOffset);
                WalTestData.AssertSame(written.Take(n - 1), applied);
            }
        }
    }

    [Fact]
    public void Salvage_SkipsACorruptMiddleRecordAndAppliesTheRest()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        var (written, starts) = WalTestData.WriteSegment(_fs, path, 5);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[starts[2] + 12] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        Assert.Throws<CorruptionException>(() => WalTestData.Replay(_fs, path));
        var (result, applied) = WalTestData.Replay(_fs, path, mode: WalRecoveryMode.Salvage);

        WalTestData.AssertSame(written.Where((_, i) => i != 2), applied);
        var skipped = Assert.Single(result.SkippedRanges);
        Assert.Equal(starts[2], skipped.Offset);
        Assert.Equal(starts[3] - starts[2], skipped.Length);
        Assert.Equal(written[^1].LastSequence, result.LastSequence);
        Assert.Equal(bytes.Length, new FileInfo(path).Length);
    }

    [Fact]
    public void TornEndOfANonLastSegment_IsCorruptionInStrictMode()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        var (_, starts) = WalTestData.WriteSegment(_fs, path, 4);
        long length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(length - 3);

        var e = Assert.Throws<CorruptionException>(() => WalTestData.Replay(_fs, path, isLastSegment: false));
        Assert.Equal(starts[^1], e.Offset);
        Assert.Contains("not the last", e.Reason);
        Assert.Equal(length - 3, new FileInfo(path).Length);
    }

    [Fact]
    public void TornEndOfANonLastSegment_IsSkippedWithoutTruncationInSalvageMode()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        var (written, starts) = WalTestData.WriteSegment(_fs, path, 4);
        long length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(length - 3);

        var (result, applied) = WalTestData.Replay(_fs, path, isLastSegment: false, mode: WalRecoveryMode.Salvage);
        WalTestData.AssertSame(written.Take(3), applied);
        Assert.Equal(new LogDamage(starts[^1], length - 3 - starts[^1], result.SkippedRanges[0].Reason), Assert.Single(result.SkippedRanges));
        Assert.Null(result.TornTailOffset);
        Assert.Equal(length - 3, new FileInfo(path).Length);
    }

    [Fact]
    public void HugeLengthInTheLastRecord_IsATornTail()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        var (written, starts) = WalTestData.WriteSegment(_fs, path, 3);
        byte[] bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)starts[^1]), 0x8000_0000u);
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var (result, applied) = WalTestData.Replay(_fs, path);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Equal(starts[^1], result.TornTailOffset);
        WalTestData.AssertSame(written.Take(2), applied);
    }

    [Fact]
    public void ValidChecksumButMalformedPayload_IsCorruption()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        using (var log = new LogWriter(_fs.CreateWritable(path)))
        {
            byte[] good = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(good, 1);
            log.AddRecord(good, WalTestData.MakeBatch(1).Representation);
            log.AddRecord([1, 2, 3]);                              // shorter than a sequence number
            log.AddRecord(good.Concat(new byte[] { 2, 0, 0, 0, 1, 1, (byte)'k', 1, (byte)'v' }).ToArray()); // count 2, one op
        }

        var e = Assert.Throws<CorruptionException>(() => WalTestData.Replay(_fs, path));
        Assert.Contains("shorter than its sequence", e.Reason);

        var (result, applied) = WalTestData.Replay(_fs, path, mode: WalRecoveryMode.Salvage);
        Assert.Single(applied);
        Assert.Equal(2, result.SkippedRanges.Count);
        Assert.Contains("malformed write batch", result.SkippedRanges[1].Reason);
        Assert.Null(result.TornTailOffset);
    }

    [Fact]
    public void SequenceThatDoesNotAdvance_IsCorruption()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        var batch = WalTestData.MakeBatch(0);  // 3 operations
        long secondStart;
        using (var log = new LogWriter(_fs.CreateWritable(path)))
        {
            byte[] sequence = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(sequence, 10);
            log.AddRecord(sequence, batch.Representation);
            secondStart = log.Length;
            BinaryPrimitives.WriteUInt64LittleEndian(sequence, 12);  // overlaps 10..12
            log.AddRecord(sequence, batch.Representation);
        }

        var e = Assert.Throws<CorruptionException>(() => WalTestData.Replay(_fs, path));
        Assert.Equal(secondStart, e.Offset);
        Assert.Contains("does not follow", e.Reason);
    }

    [Fact]
    public void EmptySegment_AppliesNothing()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        File.WriteAllBytes(path, []);
        var (result, applied) = WalTestData.Replay(_fs, path);
        Assert.Empty(applied);
        Assert.Equal(0UL, result.LastSequence);
        Assert.Equal(0, result.ValidLength);
    }

    [Fact]
    public void PreviousLastSequence_IsCheckedAcrossSegments()
    {
        using var dir = new TempDirectory();
        string path = dir.File("000001.wal");
        WalTestData.WriteSegment(_fs, path, 2, firstSequence: 5);
        var e = Assert.Throws<CorruptionException>(() => WalReplayer.Replay(
            _fs, path, true, WalRecoveryMode.Strict, NullLogger.Instance, previousLastSequence: 5, (_, _) => { }));
        Assert.Equal(0, e.Offset);
    }
}
