using Microsoft.Extensions.Logging;
using TieredKv.Changes;
using TieredKv.Durability;
using TieredKv.HotTier;
using TieredKv.Keyspace;
using TieredKv.Storage;
using TieredKv.Storage.Format;

namespace TieredKv;

/// <summary>
/// An embeddable Redis-style store on one directory: numbered databases of strings, hashes,
/// lists, sets and sorted sets, durable in the LSM engine, with hot keys kept in memory under a
/// budget. Thread-safe. Dispose to close.
/// </summary>
public sealed class TieredKvStore : IDisposable
{
    private readonly KvDatabase[] _databases; // by number; SWAPDB exchanges entries
    private readonly byte[] _slots; // number → storage slot, as stored (DatabaseMap)
    private readonly Lock _swapLock = new();
    private readonly ActiveExpiryCycle? _expiry;
    private readonly WriteRecovery? _writeRecovery;

    private TieredKvStore(string directory, TieredKvOptions options)
    {
        if (options.Databases is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(options), "databases must be 1 to 256");
        Options = options;
        Logger = options.LoggerFactory.CreateLogger("TieredKv");
        Changes = new ChangeFeed(Logger);
        var filter = CompactionFilter = new KeyspaceCompactionFilter();
        var storage = options.Engine;
        var engine = new DbOptions
        {
            WalSync = options.AppendFsync switch
            {
                AppendFsync.Always => WalSyncPolicy.Always,
                AppendFsync.No => WalSyncPolicy.No,
                _ => WalSyncPolicy.EverySec,
            },
            WalRecovery = storage.Recovery == RecoveryMode.Salvage ? WalRecoveryMode.Salvage : WalRecoveryMode.Strict,
            WriteBufferSize = storage.WriteBufferSize,
            BlockCacheBytes = storage.BlockCacheBytes,
            MaxBytesForLevelBase = storage.MaxBytesForLevelBase,
            TargetFileSize = storage.TargetFileSize,
            CompactionFilter = filter,
            LoggerFactory = options.LoggerFactory,
        };
        if (storage.FileSystem is { } fileSystem) engine = engine with { FileSystem = fileSystem };
        Engine = Db.Open(directory, engine);
        try
        {
            filter.Attach(Engine);
            Versions = new VersionAllocator(Engine);
            _slots = DatabaseMap.Read(Engine);
            // Per-slot state covers every slot a configured number may name after swaps.
            int slotCount = _slots.Take(options.Databases).Max() + 1;
            Counters = new KeyCounters(Engine, slotCount);
            Expiries = new ExpiryCounts(Engine, slotCount);
            HotKeys = new HotKeyCache(options.MaxMemoryBytes, slotCount);
            _databases = Enumerable.Range(0, options.Databases).Select(i => new KvDatabase(this, _slots[i], i)).ToArray();
            if (options.ActiveExpiryInterval > TimeSpan.Zero) _expiry = new ActiveExpiryCycle(this, options.ActiveExpiryInterval);
            if (options.WriteRetryInterval > TimeSpan.Zero) _writeRecovery = new WriteRecovery(Engine, Logger, options.WriteRetryInterval);
        }
        catch
        {
            Engine.Dispose();
            throw;
        }
    }

    /// <summary>Opens (or creates) a store in <paramref name="directory"/>.</summary>
    public static TieredKvStore Open(string directory, TieredKvOptions? options = null) => new(directory, options ?? new TieredKvOptions());

    public TieredKvOptions Options { get; }

    /// <summary>What each write operation changed (keyspace events, in commit order per key): subscribe to follow the keyspace.</summary>
    public ChangeFeed Changes { get; }

    public int DatabaseCount => _databases.Length;

    /// <summary>Database <paramref name="index"/> (0-based).</summary>
    public KvDatabase this[int index] => GetDatabase(index);

    public KvDatabase GetDatabase(int index)
    {
        if ((uint)index >= (uint)_databases.Length) throw new KvException("ERR DB index is out of range");
        return Volatile.Read(ref _databases[index]);
    }

    /// <summary>
    /// SWAPDB: database <paramref name="first"/> becomes what <paramref name="second"/> was and the reverse, in O(1):
    /// the two numbers exchange storage slots and the map is written durably (it survives a restart). Operations
    /// on either database already running finish first; those starting after see the swap.
    /// </summary>
    /// <exception cref="KvException">ERR DB index is out of range.</exception>
    public void SwapDatabases(int first, int second)
    {
        if ((uint)first >= (uint)_databases.Length || (uint)second >= (uint)_databases.Length) throw new KvException("ERR DB index is out of range");
        if (first == second) return;
        lock (_swapLock)
        {
            var (a, b) = (_databases[first], _databases[second]);
            // Both held exclusively in slot order, as FLUSHDB holds one: no operation runs on either meanwhile.
            var (low, high) = a.Index < b.Index ? (a, b) : (b, a);
            low.EnterExclusive();
            high.EnterExclusive();
            try
            {
                var slots = (byte[])_slots.Clone();
                (slots[first], slots[second]) = (slots[second], slots[first]);
                DatabaseMap.Write(Engine, slots);
                slots.CopyTo(_slots, 0);
                a.Number = second;
                b.Number = first;
                Volatile.Write(ref _databases[first], b);
                Volatile.Write(ref _databases[second], a);
            }
            finally
            {
                high.ExitExclusive();
                low.ExitExclusive();
            }
        }
    }

    /// <summary>Why the store refuses writes (a WAL write or fsync failed and no retry has succeeded yet), or null when it accepts them. Reads work either way.</summary>
    public Exception? WriteError => Engine.WriteError;

    /// <summary>
    /// Changes the hot tier's byte budget while open (Redis's CONFIG SET maxmemory): a smaller budget demotes keys
    /// (they stay on disk) until the tier fits it; 0 keeps nothing hot.
    /// </summary>
    public void SetMaxMemory(long bytes) => HotKeys.Resize(bytes);

    /// <summary>The fsync policy in force; <see cref="TieredKvOptions.AppendFsync"/> until <see cref="SetAppendFsync"/>.</summary>
    public AppendFsync AppendFsync => Engine.WalSync switch
    {
        WalSyncPolicy.Always => AppendFsync.Always,
        WalSyncPolicy.No => AppendFsync.No,
        _ => AppendFsync.EverySec,
    };

    /// <summary>
    /// Changes the fsync policy while open (Redis's CONFIG SET appendfsync). Switching to Always fsyncs every write
    /// made so far before it returns, so no write acknowledged after it is left unsynced.
    /// </summary>
    public void SetAppendFsync(AppendFsync policy) => Engine.SetWalSync(policy switch
    {
        AppendFsync.Always => WalSyncPolicy.Always,
        AppendFsync.No => WalSyncPolicy.No,
        _ => WalSyncPolicy.EverySec,
    });

    /// <summary>Makes every write so far durable (per the fsync policy); needed only with <see cref="TieredKvOptions.DeferDurability"/>.</summary>
    public void CommitWrites() => Engine.CommitDeferredWrites();

    /// <summary>
    /// As <see cref="CommitWrites"/> without blocking a thread on the disk: under <see cref="AppendFsync.Always"/>
    /// it completes when the next group fsync (shared by every caller waiting for it) covers the writes so far.
    /// </summary>
    public ValueTask CommitWritesAsync() => Engine.CommitDeferredWritesAsync(Engine.LastSequence);

    /// <summary>
    /// A consistent read-only view of every database at this moment, for export: it reads one LSM
    /// snapshot (never the hot tier) and streams collections' elements. Dispose it: while it is
    /// open, compaction keeps everything it can see.
    /// </summary>
    public KeyspaceSnapshot OpenSnapshot()
    {
        // The slots and the engine snapshot are taken together: a SWAPDB is either in both or in neither.
        lock (_swapLock) return new(this, Engine.GetSnapshot(), NowMs, _databases.Select(d => d.Index).ToArray());
    }

    /// <summary>
    /// Writes every memtable to tables and waits for it, so the write-ahead log (our append-only file) restarts
    /// short: BGREWRITEAOF and DEBUG RELOAD. Data is unchanged.
    /// </summary>
    public void Checkpoint() => Engine.Flush();

    /// <summary>Whether the active expiry cycle runs (DEBUG SET-ACTIVE-EXPIRE); keys still expire when accessed.</summary>
    public bool ActiveExpiryEnabled
    {
        get => Volatile.Read(ref _activeExpiryEnabled);
        set => Volatile.Write(ref _activeExpiryEnabled, value);
    }

    private bool _activeExpiryEnabled = true;

    /// <summary>Deletes every key of every database.</summary>
    public void FlushAll()
    {
        foreach (var db in _databases) db.FlushDb();
    }

    public StoreStatistics GetStatistics() => new()
    {
        Engine = Engine.GetStatistics(),
        HotKeys = HotKeys.Count,
        HotBytes = HotKeys.UsedBytes,
        MaxMemoryBytes = HotKeys.BudgetBytes,
        HotHits = HotKeys.Hits,
        HotMisses = HotKeys.Misses,
        Promotions = HotKeys.Promotions,
        Demotions = HotKeys.Demotions,
        ExpiredKeys = Interlocked.Read(ref _expiredKeys),
        KeysPerDatabase = _databases.Select(d => d.DbSize()).ToArray(),
    };

    internal Db Engine { get; }
    internal KeyspaceCompactionFilter CompactionFilter { get; }
    internal ILogger Logger { get; }
    internal VersionAllocator Versions { get; }
    internal KeyCounters Counters { get; }
    internal ExpiryCounts Expiries { get; }
    internal HotKeyCache HotKeys { get; }
    internal KeyLocks Locks { get; } = new();

    /// <summary>Lookups by read operations that found their key or not (Redis's keyspace_hits and keyspace_misses).</summary>
    public KeyLookupCounters Lookups { get; } = new();
    internal WriteBatchPool Batches { get; } = new();
    internal long NowMs => Options.Clock.GetUtcNow().ToUnixTimeMilliseconds();
    internal IReadOnlyList<KvDatabase> Databases => _databases;

    private long _expiredKeys;
    /// <summary>
    /// Raised after a key was removed because its TTL passed (on access or by the active cycle), with
    /// the database and the key. Runs on the expiring thread while the key is still locked: keep it short
    /// and never call back into the store. The change feed (<see cref="Changes"/>) reports the same as "expired", in order with every other change.
    /// </summary>
    public event Action<int, byte[]>? KeyExpired;

    internal void OnKeyExpired(int database, ReadOnlySpan<byte> key)
    {
        Interlocked.Increment(ref _expiredKeys);
        KeyExpired?.Invoke(database, key.ToArray());
    }

    public void Dispose()
    {
        _writeRecovery?.Dispose();
        _expiry?.Dispose();
        Engine.Dispose();
    }
}

/// <summary>Counters of the store for INFO: the hot tier and the engine.</summary>
public sealed record StoreStatistics
{
    public required DbStatistics Engine { get; init; }
    public required long HotKeys { get; init; }
    public required long HotBytes { get; init; }
    public required long MaxMemoryBytes { get; init; }
    public required long HotHits { get; init; }
    public required long HotMisses { get; init; }
    public required long Promotions { get; init; }
    public required long Demotions { get; init; }
    public required long ExpiredKeys { get; init; }
    public required IReadOnlyList<long> KeysPerDatabase { get; init; }
}
