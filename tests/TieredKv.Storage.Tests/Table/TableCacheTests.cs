using TieredKv.Storage.Format;
using TieredKv.Storage.IO;
using TieredKv.Storage.Table;
using static TieredKv.Storage.Tests.Table.TableTestHelpers;

namespace TieredKv.Storage.Tests.Table;

public sealed class TableCacheTests
{
    private static readonly TableBuilderOptions SmallBlocks = new(BlockSize: 1024, Compression: CompressionType.None);

    [Fact]
    public void SecondReadOfABlock_IsACacheHit()
    {
        var counters = new TableReadCounters();
        using var reader = Open(BuildTable(MakeEntries(2000), SmallBlocks), new BlockCache(1 << 20), counters);
        var key = InternalKey.ForSeek(UserKey(500), InternalKey.MaxSequence);
        Assert.True(reader.TryGet(key, out _, out _, out _));
        long diskReads = counters.BlockReadsFromDisk;
        Assert.Equal(1, counters.BlockCacheMisses);
        Assert.True(reader.TryGet(key, out _, out _, out _));
        Assert.Equal(1, counters.BlockCacheHits);
        Assert.Equal(diskReads, counters.BlockReadsFromDisk);
    }

    [Fact]
    public void FillCacheFalse_DoesNotPopulateTheCache()
    {
        var counters = new TableReadCounters();
        using var reader = Open(BuildTable(MakeEntries(2000), SmallBlocks), new BlockCache(1 << 20), counters);
        var key = InternalKey.ForSeek(UserKey(500), InternalKey.MaxSequence);
        Assert.True(reader.TryGet(key, out _, out _, out _, fillCache: false));
        Assert.True(reader.TryGet(key, out _, out _, out _, fillCache: false));
        Assert.Equal(0, counters.BlockCacheHits);
        Assert.Equal(2, counters.BlockCacheMisses);
    }

    [Fact]
    public void CacheSmallerThanABlock_StillReadsCorrectly()
    {
        var entries = MakeEntries(2000);
        var counters = new TableReadCounters();
        using var reader = Open(BuildTable(entries, SmallBlocks), new BlockCache(100), counters);
        for (int round = 0; round < 2; round++)
        {
            using var it = reader.NewIterator();
            int n = 0;
            for (it.SeekToFirst(); it.Valid; it.Next()) n++;
            Assert.Equal(entries.Count, n);
        }
        Assert.Equal(0, counters.BlockCacheHits);
    }

    [Fact]
    public void TableCache_ReadsMoreFilesThanMaxOpenFiles()
    {
        using var dir = new TempDirectory();
        var entries = MakeEntries(200);
        for (ulong n = 1; n <= 10; n++) WriteTableFile(dir.Path, n, entries, SmallBlocks);
        using var cache = new TableCache(dir.Path, new LocalFileSystem(), maxOpenFiles: 3, new BlockCache(1 << 20));
        for (int round = 0; round < 2; round++)
        {
            for (ulong n = 1; n <= 10; n++)
            {
                Assert.True(cache.TryGet(n, InternalKey.ForSeek(UserKey(77), InternalKey.MaxSequence), out ulong seq, out _, out _, fillCache: true));
                Assert.Equal(177UL, seq);
                Assert.True(cache.OpenCount <= 3);
            }
        }
    }

    [Fact]
    public void TableCache_IteratorKeepsWorkingWhileItsReaderIsEvicted()
    {
        using var dir = new TempDirectory();
        var entries = MakeEntries(2000);
        for (ulong n = 1; n <= 4; n++) WriteTableFile(dir.Path, n, entries, SmallBlocks);
        using var cache = new TableCache(dir.Path, new LocalFileSystem(), maxOpenFiles: 1, blockCache: null);
        using var it = cache.NewIterator(1);
        it.SeekToFirst();
        int count = 0;
        for (; it.Valid && count < 100; it.Next()) count++;
        cache.Evict(1);
        for (ulong n = 2; n <= 4; n++) Assert.True(cache.TryGet(n, InternalKey.ForSeek(UserKey(1), InternalKey.MaxSequence), out _, out _, out _));
        for (; it.Valid; it.Next()) count++;
        Assert.Equal(entries.Count, count);
    }

    [Fact]
    public void TableCache_LeasedReaderIsClosedOnlyAfterRelease()
    {
        using var dir = new TempDirectory();
        WriteTableFile(dir.Path, 1, MakeEntries(100), SmallBlocks);
        var fs = new TrackingFileSystem();
        using var cache = new TableCache(dir.Path, fs, maxOpenFiles: 5, blockCache: null);
        var lease = cache.Acquire(1);
        cache.Evict(1);
        Assert.Equal(0, fs.Closed);
        Assert.True(lease.Reader.TryGet(InternalKey.ForSeek(UserKey(5), InternalKey.MaxSequence), out _, out _, out _));
        lease.Dispose();
        Assert.Equal(1, fs.Closed);
    }

    [Fact]
    public void TableCache_ConcurrentLookups_AcrossEvictions()
    {
        using var dir = new TempDirectory();
        for (ulong n = 1; n <= 6; n++) WriteTableFile(dir.Path, n, MakeEntries(200), SmallBlocks);
        using var cache = new TableCache(dir.Path, new LocalFileSystem(), maxOpenFiles: 2, new BlockCache(1 << 20));
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 300; i++)
            {
                ulong n = (ulong)((i + t) % 6 + 1);
                Assert.True(cache.TryGet(n, InternalKey.ForSeek(UserKey(i % 200), InternalKey.MaxSequence), out _, out _, out _));
            }
        });
    }

    private sealed class TrackingFileSystem : Tests.IO.DelegatingFileSystem
    {
        private int _closed;
        public int Closed => Volatile.Read(ref _closed);

        public override IRandomAccessFile OpenRandomAccess(string path) => new Tracked(Inner.OpenRandomAccess(path), this);

        private sealed class Tracked(IRandomAccessFile inner, TrackingFileSystem owner) : IRandomAccessFile
        {
            public string Path => inner.Path;
            public long Length => inner.Length;
            public int Read(long offset, Span<byte> destination) => inner.Read(offset, destination);
            public void Dispose()
            {
                Interlocked.Increment(ref owner._closed);
                inner.Dispose();
            }
        }
    }
}
