using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Wal;

namespace TieredKv.Storage.Tests.Wal;

/// <summary>One batch as written: its first sequence and representation.</summary>
internal sealed record WrittenBatch(ulong FirstSequence, byte[] Representation, int Count)
{
    public ulong LastSequence => FirstSequence + (ulong)Count - 1;
}

/// <summary>Builds deterministic batches, writes segments and replays them.</summary>
internal static class WalTestData
{
    public static WriteBatch MakeBatch(int i)
    {
        var batch = new WriteBatch();
        batch.Put(System.Text.Encoding.ASCII.GetBytes($"key{i:D5}"), Enumerable.Range(0, 5 + i % 17).Select(j => (byte)(i * 31 + j)).ToArray());
        if (i % 3 == 0) batch.Delete(System.Text.Encoding.ASCII.GetBytes($"old{i}"));
        if (i % 5 == 0) batch.DeleteRange("a"u8, "b"u8);
        return batch;
    }

    /// <summary>Writes batches 0..count-1 (one commit each unless <paramref name="perCommit"/> says otherwise); returns them and each record's start offset.</summary>
    public static (List<WrittenBatch> Batches, List<long> RecordStarts) WriteSegment(
        IFileSystem fs, string path, int count, int perCommit = 1, ulong firstSequence = 1)
    {
        var batches = new List<WrittenBatch>();
        var starts = new List<long>();
        using var writer = new WalWriter(fs.CreateWritable(path), 1);
        ulong sequence = firstSequence;
        for (int i = 0; i < count; i++)
        {
            var batch = MakeBatch(i);
            starts.Add(writer.Length);
            writer.AddBatch(sequence, batch);
            batches.Add(new WrittenBatch(sequence, batch.Representation.ToArray(), batch.Count));
            sequence += (ulong)batch.Count;
            if ((i + 1) % perCommit == 0) writer.Commit(sync: false);
        }
        writer.Close(sync: true);
        return (batches, starts);
    }

    public static (WalReplayResult Result, List<WrittenBatch> Applied) Replay(
        IFileSystem fs, string path, bool isLastSegment = true, WalRecoveryMode mode = WalRecoveryMode.Strict,
        List<WrittenBatch>? applied = null)
    {
        applied ??= new List<WrittenBatch>();
        var result = WalReplayer.Replay(fs, path, isLastSegment, mode, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance,
            (first, batch) => applied.Add(new WrittenBatch(first, batch.Representation.ToArray(), batch.Count)));
        return (result, applied);
    }

    public static void AssertSame(IEnumerable<WrittenBatch> expected, IEnumerable<WrittenBatch> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        Assert.Equal(e.Count, a.Count);
        for (int i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].FirstSequence, a[i].FirstSequence);
            Assert.Equal(e[i].Count, a[i].Count);
            Assert.True(e[i].Representation.AsSpan().SequenceEqual(a[i].Representation), $"batch {i} differs");
        }
    }
}

/// <summary>Wraps a writable file, counting calls and optionally failing appends.</summary>
internal sealed class CountingWritableFile(IWritableFile inner) : IWritableFile
{
    private int _appends, _flushes, _syncs;

    public int Appends => _appends;
    public int Flushes => _flushes;
    public int Syncs => _syncs;
    public bool FailAppends { get; set; }

    public string Path => inner.Path;
    public long Length => inner.Length;

    public void Append(ReadOnlySpan<byte> data)
    {
        Interlocked.Increment(ref _appends);
        if (FailAppends) throw new IOException("injected append failure");
        inner.Append(data);
    }

    public void Flush()
    {
        Interlocked.Increment(ref _flushes);
        inner.Flush();
    }

    public void Sync()
    {
        Interlocked.Increment(ref _syncs);
        inner.Sync();
    }

    public void Dispose() => inner.Dispose();
}
