namespace TieredKv.Storage.Table;

/// <summary>Counters of table reads, updated with <see cref="Interlocked"/>; one instance may be shared by many readers.</summary>
internal sealed class TableReadCounters
{
    private long _bloomChecks;
    private long _bloomUseful;
    private long _blockReadsFromDisk;
    private long _blockBytesReadFromDisk;
    private long _blockCacheHits;
    private long _blockCacheMisses;

    /// <summary>Lookups that consulted a bloom filter.</summary>
    public long BloomChecks => Interlocked.Read(ref _bloomChecks);

    /// <summary>Lookups the bloom filter answered "absent", saving block reads.</summary>
    public long BloomUseful => Interlocked.Read(ref _bloomUseful);

    public long BlockReadsFromDisk => Interlocked.Read(ref _blockReadsFromDisk);
    public long BlockBytesReadFromDisk => Interlocked.Read(ref _blockBytesReadFromDisk);
    public long BlockCacheHits => Interlocked.Read(ref _blockCacheHits);
    public long BlockCacheMisses => Interlocked.Read(ref _blockCacheMisses);

    internal void AddBloomCheck(bool useful)
    {
        Interlocked.Increment(ref _bloomChecks);
        if (useful) Interlocked.Increment(ref _bloomUseful);
    }

    internal void AddDiskRead(long bytes)
    {
        Interlocked.Increment(ref _blockReadsFromDisk);
        Interlocked.Add(ref _blockBytesReadFromDisk, bytes);
    }

    internal void AddCacheLookup(bool hit)
    {
        if (hit) Interlocked.Increment(ref _blockCacheHits);
        else Interlocked.Increment(ref _blockCacheMisses);
    }
}
